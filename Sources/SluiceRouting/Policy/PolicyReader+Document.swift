import Yams

/// A top-level section of a policy document: its key, whether a policy must have it, how it is
/// read into the draft, and the checks it makes once every section has been read.
///
/// Adding a section (`experiments:`, `budgets:`) is a file of its own
/// (`PolicyReader+Experiments.swift` with its reader and checks), the fields it fills in
/// ``PolicyDraft``, and one entry in ``PolicyReader/sections``.
struct PolicySection: Sendable {
    /// The key at the top of the document.
    var key: String
    /// Whether a policy without it is refused.
    var required: Bool
    /// Reads the section's node into the draft, reporting its own problems.
    var read: @Sendable (inout PolicyReader, Node, inout PolicyDraft) -> Void
    /// Checks that need other sections too (names that must resolve); run after all are read.
    var crossCheck: (@Sendable (inout PolicyReader, PolicyDraft) -> Void)?
}

extension PolicyReader {
    /// The policy format this code reads.
    static let supportedVersion = 1

    /// Every section, in the order they are read and then checked: names a later section uses
    /// (a model's upstream, a rule's model) are known before its checks run.
    static let sections: [PolicySection] = [
        PolicySection(key: "prices", required: false, read: { $0.readPrices($1, into: &$2) }),
        PolicySection(key: "upstreams", required: true, read: { $0.readUpstreams($1, into: &$2) }),
        PolicySection(
            key: "models", required: true, read: { $0.readModels($1, into: &$2) },
            crossCheck: { $0.checkModels($1) }),
        PolicySection(
            key: "baseline", required: true, read: { $0.readBaselines($1, into: &$2) },
            crossCheck: { $0.checkBaselines($1) }),
        PolicySection(
            key: "rules", required: true, read: { $0.readRules($1, into: &$2) }, crossCheck: { $0.checkRules($1) }),
        PolicySection(
            key: "next_move_model", required: false, read: { $0.readNextMoveModel($1, into: &$2) },
            crossCheck: { $0.checkNextMoveConditions($1) }),
        PolicySection(key: "tool_categories", required: false, read: { $0.readToolCategories($1, into: &$2) }),
        PolicySection(key: "stickiness", required: false, read: { $0.readStickiness($1, into: &$2) }),
        PolicySection(
            key: "experiments", required: false, read: { $0.readExperiments($1, into: &$2) },
            crossCheck: { $0.checkExperiments($1) }),
        PolicySection(
            key: "shadows", required: false, read: { $0.readShadows($1, into: &$2) },
            crossCheck: { $0.checkShadows($1) }),
        PolicySection(
            key: "budgets", required: false, read: { $0.readBudgets($1, into: &$2) },
            crossCheck: { $0.checkBudgets($1) }),
        PolicySection(key: "loop_breaker", required: false, read: { $0.readLoopBreaker($1, into: &$2) }),
        PolicySection(key: "anomalies", required: false, read: { $0.readAnomalies($1, into: &$2) }),
    ]

    /// The keys a document may have.
    static let documentKeys = ["version"] + sections.map(\.key)

    /// Reads a whole document; problems are left in `problems`.
    mutating func readDocument(_ root: Node) -> PolicyDraft {
        var draft = PolicyDraft()
        guard
            let document = fields(
                of: root, at: "", expecting: "a policy (a mapping with version, upstreams, models, baseline, rules)",
                allowed: Self.documentKeys, hints: ["experiment": "the section is called experiments (a list)"])
        else { return draft }

        if let node = required(document, "version", at: "") {
            if let version = count(node, at: "version", minimum: 1), version != Self.supportedVersion {
                report(
                    "version", "unsupported version \(version); this Sluice reads version \(Self.supportedVersion)",
                    at: node)
            }
        }
        for section in Self.sections {
            if section.required {
                if let node = required(document, section.key, at: "") { section.read(&self, node, &draft) }
            } else if let node = document[section.key], !Self.isNull(node) {
                section.read(&self, node, &draft)
            }
        }
        return draft
    }

    /// The checks that need more than one section, section by section: names that must resolve,
    /// baselines every routable dialect needs, rules that can never apply or never match.
    ///
    /// Parts that already had a problem of their own are skipped, so one mistake is reported once.
    mutating func crossCheck(_ draft: PolicyDraft) {
        for section in Self.sections {
            section.crossCheck?(&self, draft)
        }
    }
}
