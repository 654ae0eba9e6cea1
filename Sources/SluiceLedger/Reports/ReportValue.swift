/// One cell of a machine-readable report, rendered the same way in JSON and CSV.
///
/// JSON and CSV reports share their field lists (same keys, same order), so each field is
/// described once and rendered twice.
enum ReportValue {
    case string(String)
    case optionalString(String?)
    case integer(Int64)
    case bool(Bool)
    /// Already-formatted exact decimal text (``USD/decimalString``, a percentage); `nil` is null.
    case number(String?)
    case strings([String])

    static func integer(_ value: Int) -> ReportValue { .integer(Int64(value)) }
    static func optionalInteger(_ value: Int?) -> ReportValue { .number(value.map { String($0) }) }
    static func usd(_ value: USD) -> ReportValue { .number(value.decimalString) }
    /// A counterfactual's price: null when its coverage is unknown.
    static func usd(_ value: Counterfactual) -> ReportValue { .number(value.coverage.isKnown ? value.cost.decimalString : nil) }
    static func percent(basisPoints: Int?) -> ReportValue { .number(basisPoints.map(NumberText.percent)) }

    /// JSON text of the value.
    var json: String {
        switch self {
        case .string(let text): JSONText.string(text)
        case .optionalString(let text): text.map(JSONText.string) ?? "null"
        case .integer(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .number(let text): text ?? "null"
        case .strings(let texts): JSONText.array(texts.map(JSONText.string))
        }
    }

    /// CSV field of the value (quoted when needed); null is an empty field, lists are joined with `;`.
    var csv: String {
        switch self {
        case .string(let text): CSVText.field(text)
        case .optionalString(let text): CSVText.field(text ?? "")
        case .integer(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .number(let text): text ?? ""
        case .strings(let texts): CSVText.field(texts.joined(separator: ";"))
        }
    }
}

/// An ordered list of named report fields.
typealias ReportFields = [(key: String, value: ReportValue)]

extension Array where Element == (key: String, value: ReportValue) {
    /// The fields as one JSON object, keys in order.
    var jsonObject: String {
        JSONText.object(map { (key: $0.key, json: $0.value.json) })
    }

    /// The field names as a CSV header line.
    var csvHeader: String {
        map { CSVText.field($0.key) }.joined(separator: ",")
    }

    /// The values as one CSV line.
    var csvRow: String {
        map(\.value.csv).joined(separator: ",")
    }
}
