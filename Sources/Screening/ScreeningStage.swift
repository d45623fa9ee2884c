// Screening stage: dubious references (topic mismatch, citation concentration).

import AssayCore
import Foundation

/// Flags references that look chosen for something other than their content: a cited work whose
/// subject is unrelated to the passage citing it (`topic-mismatch`, see `TopicScreen`) and an
/// author who fills an unusual share of the reference list (`citation-concentration`, see
/// `ConcentrationScreen`). Runs after the citations stage and reads its citations and references.
///
/// Settings (paths are relative to the pipeline definition's folder; the word lists are described
/// in `pipelines/screening/README.md`):
/// - `stopWords` (`screening/stopwords.txt`), `variants` (`screening/variants.tsv`),
///   `abbreviations` (`screening/abbreviations.txt`), `background` (`screening/background.tsv`),
///   `fields` (`screening/fields.yaml`), `related` (`screening/related.tsv`): the word lists.
/// - `topicMismatch` (true), `citationConcentration` (true): turn either check off.
/// - `topicThreshold` (0.35): a citation whose relatedness score (0 unrelated ... 1) is below this
///   is reported.
/// - `topicContextSentences` (1): sentences on each side of the citing one that count as its
///   passage; `topicMaxContextWords` (120): at most this many words on each side.
/// - `topicMinTitleTerms` (2): titles with fewer content words are not judged.
/// - `topicPassageWeight` (0.35), `topicArticleWeight` (0.2), `topicFieldWeight` (0.45): the
///   weights of the score's three parts.
/// - `topicSpreadDiscount` (0.8): how much less a word used in every paragraph counts in the
///   passage overlap.
/// - `topicFieldMinShare` (0.1): the share of the article's field words that makes a field one of
///   the article's; `topicNearFieldCredit` (0.5): credit for a work in a field near one of them.
/// - `topicRelatedCredit` (0.75): how much of a shared word a title word counts for when the
///   passage has a term related to it (`related.tsv`).
/// - `topicStuffingPenalty` (0.5), `topicStuffingMaxPassage` (0.25), `topicStuffingMaxSpread`
///   (0.05), `topicStuffingMaxRarity` (0.6), `topicStuffingFieldAgreement` (1): the
///   keyword-stuffing pattern (see `TopicOptions`).
/// - `concentrationShare` (0.25): an author in at least this share of the references is
///   reported; `concentrationMinReferences` (10): shorter lists are not judged;
///   `concentrationMinCount` (3): nor authors in fewer entries.
public struct ScreeningStage: Stage {
    public static let name = "screening"

    let vocabulary: Vocabulary
    let topic: TopicOptions?
    let concentration: ConcentrationOptions?
    /// What the topic screening learns about words, kept from one document to the next.
    let words: WordCache
    /// The topic screening (nil when off), made once: not a copy of the vocabulary for each document.
    let topicScreen: TopicScreen?

    public init(settings: inout StageSettings, context: PipelineContext) throws {
        func file(_ key: String, _ path: String) throws -> URL {
            let url = context.resolve(try settings.string(key, default: path))
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw settings.error(key, "cannot read '\(url.path)'")
            }
            return url
        }
        let stop = try file("stopWords", "screening/stopwords.txt")
        let variants = try file("variants", "screening/variants.tsv")
        let abbreviations = try file("abbreviations", "screening/abbreviations.txt")
        let background = try file("background", "screening/background.tsv")
        let fields = try file("fields", "screening/fields.yaml")
        let related = try file("related", "screening/related.tsv")

        var t = TopicOptions()
        let topicOn = try settings.bool("topicMismatch", default: true)
        t.threshold = try settings.double("topicThreshold", default: t.threshold, in: 0...1)
        t.contextSentences = try settings.int("topicContextSentences", default: t.contextSentences, in: 0...10)
        t.maxContextWords = try settings.int("topicMaxContextWords", default: t.maxContextWords, in: 1...10_000)
        t.minTitleTerms = try settings.int("topicMinTitleTerms", default: t.minTitleTerms, in: 1...20)
        t.passageWeight = try settings.double("topicPassageWeight", default: t.passageWeight, in: 0...1)
        t.articleWeight = try settings.double("topicArticleWeight", default: t.articleWeight, in: 0...1)
        t.fieldWeight = try settings.double("topicFieldWeight", default: t.fieldWeight, in: 0...1)
        if t.passageWeight + t.articleWeight + t.fieldWeight <= 0 {
            throw settings.error("topicPassageWeight", "the three topic weights cannot all be 0")
        }
        t.spreadDiscount = try settings.double("topicSpreadDiscount", default: t.spreadDiscount, in: 0...1)
        t.fieldMinShare = try settings.double("topicFieldMinShare", default: t.fieldMinShare, in: 0...1)
        t.nearFieldCredit = try settings.double("topicNearFieldCredit", default: t.nearFieldCredit, in: 0...1)
        t.stuffingPenalty = try settings.double("topicStuffingPenalty", default: t.stuffingPenalty, in: 0...1)
        t.stuffingMaxPassage = try settings.double("topicStuffingMaxPassage", default: t.stuffingMaxPassage, in: 0...1)
        t.stuffingMaxSpread = try settings.double("topicStuffingMaxSpread", default: t.stuffingMaxSpread, in: 0...1)
        t.stuffingMaxRarity = try settings.double("topicStuffingMaxRarity", default: t.stuffingMaxRarity, in: 0...1)
        t.stuffingFieldAgreement = try settings.double("topicStuffingFieldAgreement", default: t.stuffingFieldAgreement, in: 0...1)
        t.relatedCredit = try settings.double("topicRelatedCredit", default: t.relatedCredit, in: 0...1)

        var c = ConcentrationOptions()
        let concentrationOn = try settings.bool("citationConcentration", default: true)
        c.share = try settings.double("concentrationShare", default: c.share, in: 0...1)
        c.minReferences = try settings.int("concentrationMinReferences", default: c.minReferences, in: 1...100_000)
        c.minCount = try settings.int("concentrationMinCount", default: c.minCount, in: 1...100_000)

        vocabulary = try Vocabulary.load(stopWords: stop, variants: variants, abbreviations: abbreviations,
                                         background: background, fields: fields, related: related)
        topic = topicOn ? t : nil
        concentration = concentrationOn ? c : nil
        words = WordCache(vocabulary)
        topicScreen = topic.map { [vocabulary, words] in TopicScreen(vocabulary: vocabulary, options: $0, caches: words) }
    }

    /// The stage with its default settings, reading the word lists under `context`.
    public init(context: PipelineContext) throws {
        var settings = StageSettings.empty(stage: Self.name)
        try self.init(settings: &settings, context: context)
    }

    init(vocabulary: Vocabulary, topic: TopicOptions?, concentration: ConcentrationOptions?) {
        self.vocabulary = vocabulary
        self.topic = topic
        self.concentration = concentration
        words = WordCache(vocabulary)
        topicScreen = topic.map { [vocabulary, words] in TopicScreen(vocabulary: vocabulary, options: $0, caches: words) }
    }

    public func process(_ document: inout Document) throws {
        var found: [Finding] = []
        // (called through the optional, not bound: `if let` copies the screen, a reference to each
        // table of the vocabulary)
        if let f = topicScreen?.findings(document) { found += f }
        if let concentration {
            found += ConcentrationScreen(options: concentration).findings(document)
        }
        document.findings += found
    }
}
