import AssayCore
import Testing
@testable import Entities

/// `emit` builds the attributes many mentions have alike (only a definition, only a date, only the
/// byline role) once per document and shares them: each mention must still get its own.
struct SharedAttributesTests {
    @Test func eachMentionKeepsItsOwnDefinitionDateAndRole() {
        let d = analyzed("""
        By: Amanda Siddharta

        The Acid Survivors Foundation (ASF) and the Legal Aid Foundation (LAF) met on 18 December 1979. \
        The ASF and the LAF met again in March 1996, and the ASF once more on 18 December 1979.
        """)
        #expect(d.entity("Amanda Siddharta")?.attributes == ["role": "byline"])
        #expect(d.entity("ASF", nth: 1)?.attributes == ["definedBy": "Acid Survivors Foundation"])
        #expect(d.entity("ASF", nth: 2)?.attributes == ["definedBy": "Acid Survivors Foundation"])
        #expect(d.entity("LAF", nth: 1)?.attributes == ["definedBy": "Legal Aid Foundation"])
        #expect(d.entity("18 December 1979", nth: 0)?.attributes == ["value": "1979-12-18"])
        #expect(d.entity("18 December 1979", nth: 1)?.attributes == ["value": "1979-12-18"])
        #expect(d.entity("March 1996")?.attributes == ["value": "1996-03"])
        // A mention with more than the shared attribute gets all of its own.
        #expect(d.entity("Acid Survivors Foundation")?.attributes == ["acronym": "ASF"])
    }
}
