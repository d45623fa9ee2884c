// SQLite export (GRDB): rows to query and load elsewhere.
//
// Tables (every child row is keyed by `document_id` and deleted with its document):
//   documents        id (unique), source, media_type, sha256, title, text_length, encoding, schema, text
//   sections         document_id, ordinal, kind, start, "end", label
//   entities         document_id, id, type, start, "end", text, key, label, attributes (JSON object)
//   citations        document_id, id, start, "end", text, style, authors (JSON array), et_al, year,
//                    year_suffix, locator, defects (JSON array)
//   "references"     document_id, id, start, "end", text, authors (JSON array of {family, given}),
//                    first_author, editors, year, year_suffix, title, container, volume, issue, pages,
//                    publisher   (the name is an SQL keyword: quote it)
//   citation_links   document_id, citation_id, reference_id (one row per resolution)
//   findings         document_id, id, kind, severity, message, score
//   finding_spans    document_id, finding_id, span_type (citation|reference|entity), span_id
//   text_search      FTS5 index over documents(title, text)   -- `WHERE text_search MATCH 'blasphemy'`
// Indexes answer the usual questions: entities(key) "every document that mentions CEDAW",
// findings(severity) / findings(kind) "all error findings", citation_links(document_id, reference_id)
// "which references are cited most". Offsets are Unicode code points into documents.text.
//
// Re-running over the same documents updates them in place: each document's rows are deleted
// (by id, cascading) and inserted anew inside one transaction per batch of documents, so a
// document is never half written and never duplicated.
import AssayCore
import Foundation
import GRDB

public final class SQLiteStore {
    public static let schemaVersion = 1
    public let path: String
    private let queue: DatabaseQueue
    private var pending: [AnnotationRecord] = []
    private var pendingBytes = 0
    public private(set) var documentsWritten = 0

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "assay"
        config.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in try Self.migrate(db) }
        } catch let e as ViewError {
            throw e
        } catch {
            throw ViewError("\(path): \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e)" }
        return "\(error)"
    }

    static func migrate(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if version == schemaVersion { return }
        if version != 0 {
            throw ViewError("the database has assay schema version \(version); this assay writes version \(schemaVersion)")
        }
        let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'documents'") ?? 0
        if existing > 0 {
            throw ViewError("the database has a 'documents' table not written by assay")
        }
        try db.execute(sql: """
            CREATE TABLE assay_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO assay_meta(key, value) VALUES ('schema', 'assay.annotations/1'), ('store', 'assay.sqlite/1');
            CREATE TABLE documents(
                doc_no INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                source TEXT NOT NULL,
                media_type TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                title TEXT,
                text_length INTEGER NOT NULL,
                encoding TEXT,
                schema TEXT NOT NULL,
                text TEXT NOT NULL
            );
            CREATE INDEX documents_source ON documents(source);
            CREATE TABLE sections(
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                kind TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                label TEXT,
                PRIMARY KEY (document_id, ordinal)
            );
            CREATE TABLE entities(
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                id TEXT NOT NULL,
                type TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                text TEXT NOT NULL,
                key TEXT,
                label TEXT,
                attributes TEXT,
                PRIMARY KEY (document_id, id)
            );
            CREATE INDEX entities_key ON entities(key, document_id);
            CREATE INDEX entities_type ON entities(type);
            CREATE TABLE citations(
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                id TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                text TEXT NOT NULL,
                style TEXT NOT NULL,
                authors TEXT NOT NULL,
                et_al INTEGER NOT NULL,
                year TEXT NOT NULL,
                year_suffix TEXT,
                locator TEXT,
                defects TEXT,
                PRIMARY KEY (document_id, id)
            );
            CREATE INDEX citations_year ON citations(year);
            CREATE TABLE "references"(
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                id TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                text TEXT NOT NULL,
                authors TEXT NOT NULL,
                first_author TEXT,
                editors INTEGER NOT NULL,
                year TEXT,
                year_suffix TEXT,
                title TEXT,
                container TEXT,
                volume TEXT,
                issue TEXT,
                pages TEXT,
                publisher TEXT,
                PRIMARY KEY (document_id, id)
            );
            CREATE INDEX references_first_author ON "references"(first_author, year);
            CREATE TABLE citation_links(
                document_id TEXT NOT NULL,
                citation_id TEXT NOT NULL,
                reference_id TEXT NOT NULL,
                PRIMARY KEY (document_id, citation_id, reference_id),
                FOREIGN KEY (document_id, citation_id) REFERENCES citations(document_id, id) ON DELETE CASCADE,
                FOREIGN KEY (document_id, reference_id) REFERENCES "references"(document_id, id) ON DELETE CASCADE
            );
            CREATE INDEX citation_links_reference ON citation_links(document_id, reference_id);
            CREATE TABLE findings(
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                severity TEXT NOT NULL,
                message TEXT NOT NULL,
                score REAL,
                PRIMARY KEY (document_id, id)
            );
            CREATE INDEX findings_severity ON findings(severity);
            CREATE INDEX findings_kind ON findings(kind);
            CREATE TABLE finding_spans(
                document_id TEXT NOT NULL,
                finding_id TEXT NOT NULL,
                span_type TEXT NOT NULL CHECK (span_type IN ('citation', 'reference', 'entity')),
                span_id TEXT NOT NULL,
                PRIMARY KEY (document_id, finding_id, span_type, span_id),
                FOREIGN KEY (document_id, finding_id) REFERENCES findings(document_id, id) ON DELETE CASCADE
            );
            CREATE INDEX finding_spans_span ON finding_spans(document_id, span_id);
            CREATE VIRTUAL TABLE text_search USING fts5(
                title, text, content='documents', content_rowid='doc_no', tokenize='unicode61 remove_diacritics 2'
            );
            CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
                INSERT INTO text_search(rowid, title, text) VALUES (new.doc_no, new.title, new.text);
            END;
            CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
                INSERT INTO text_search(text_search, rowid, title, text) VALUES ('delete', old.doc_no, old.title, old.text);
            END;
            CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
                INSERT INTO text_search(text_search, rowid, title, text) VALUES ('delete', old.doc_no, old.title, old.text);
                INSERT INTO text_search(rowid, title, text) VALUES (new.doc_no, new.title, new.text);
            END;
            """)
        try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
    }

    /// Queues a record; every 64 records (or 32 MB of text) are written in one transaction.
    public func add(_ record: AnnotationRecord) throws {
        pending.append(record)
        pendingBytes += record.text.utf8.count
        if pending.count >= 64 || pendingBytes >= 32 << 20 { try flush() }
    }

    /// Writes what is queued.
    public func finish() throws { try flush() }

    /// Replaces the rows of these documents in one transaction.
    public func upsert(_ records: [AnnotationRecord]) throws {
        do {
            try queue.write { db in
                for r in records { try Self.replace(r, in: db) }
            }
            documentsWritten += records.count
        } catch let e as ViewError {
            throw e
        } catch {
            throw ViewError("\(path): \(Self.describe(error))")
        }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        pendingBytes = 0
        try upsert(batch)
    }

    static func json(_ strings: [String]) -> String {
        var w = JSONWriter()
        w.beginArray()
        for s in strings { w.string(s) }
        w.endArray()
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func replace(_ r: AnnotationRecord, in db: Database) throws {
        let id = r.document.id
        try db.cachedStatement(sql: "DELETE FROM documents WHERE id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: """
            INSERT INTO documents(id, source, media_type, sha256, title, text_length, encoding, schema, text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, r.document.source, r.document.mediaType, r.document.sha256, r.document.title,
                                     r.document.textLength, r.document.encoding, r.schema, r.text])
        let section = try db.cachedStatement(sql: "INSERT INTO sections(document_id, ordinal, kind, start, \"end\", label) VALUES (?, ?, ?, ?, ?, ?)")
        for (n, s) in r.sections.enumerated() {
            try section.execute(arguments: [id, n + 1, s.kind, s.start, s.end, s.label])
        }
        let entity = try db.cachedStatement(sql: """
            INSERT INTO entities(document_id, id, type, start, "end", text, key, label, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for e in r.entities {
            var attributes: String?
            if !e.attributes.isEmpty {
                var w = JSONWriter()
                w.beginObject()
                for k in e.attributes.keys.sorted() {
                    w.key(string: k)
                    w.string(e.attributes[k]!)
                }
                w.endObject()
                attributes = String(decoding: w.bytes, as: UTF8.self)
            }
            try entity.execute(arguments: [id, e.id, e.type, e.start, e.end, e.text, e.key, e.label, attributes])
        }
        let citation = try db.cachedStatement(sql: """
            INSERT INTO citations(document_id, id, start, "end", text, style, authors, et_al, year, year_suffix, locator, defects)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for c in r.citations {
            try citation.execute(arguments: [id, c.id, c.start, c.end, c.text, c.style, json(c.authors), c.etAl == true, c.year,
                                             c.yearSuffix, c.locator, c.defects.map(json)])
        }
        let reference = try db.cachedStatement(sql: """
            INSERT INTO "references"(document_id, id, start, "end", text, authors, first_author, editors, year, year_suffix,
                                     title, container, volume, issue, pages, publisher)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for ref in r.references {
            var w = JSONWriter()
            w.beginArray()
            for a in ref.authors {
                w.beginObject()
                w.field("family", a.family)
                w.optionalField("given", a.given)
                w.endObject()
            }
            w.endArray()
            let authors = String(decoding: w.bytes, as: UTF8.self)
            try reference.execute(arguments: [id, ref.id, ref.start, ref.end, ref.text, authors, ref.authors.first?.family,
                                              ref.editors == true, ref.year, ref.yearSuffix, ref.title, ref.container,
                                              ref.volume, ref.issue, ref.pages, ref.publisher])
        }
        let link = try db.cachedStatement(sql: "INSERT OR IGNORE INTO citation_links(document_id, citation_id, reference_id) VALUES (?, ?, ?)")
        let referenceIDs = Set(r.references.map(\.id))
        for c in r.citations {
            for ref in c.references where referenceIDs.contains(ref) {
                try link.execute(arguments: [id, c.id, ref])
            }
        }
        let finding = try db.cachedStatement(sql: "INSERT INTO findings(document_id, id, kind, severity, message, score) VALUES (?, ?, ?, ?, ?, ?)")
        let span = try db.cachedStatement(sql: "INSERT OR IGNORE INTO finding_spans(document_id, finding_id, span_type, span_id) VALUES (?, ?, ?, ?)")
        for f in r.findings {
            try finding.execute(arguments: [id, f.id, f.kind, f.severity, f.message, f.score])
            for c in f.citations { try span.execute(arguments: [id, f.id, "citation", c]) }
            for ref in f.references { try span.execute(arguments: [id, f.id, "reference", ref]) }
            for e in f.entities { try span.execute(arguments: [id, f.id, "entity", e]) }
        }
    }

    /// Number of rows of a table (for summaries and tests).
    public func count(_ table: String) throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\"") ?? 0 }
    }
}
