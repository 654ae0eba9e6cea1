import SluiceLedger

/// One input of the next-move model: a number read from a turn's features.
///
/// Counts and sizes enter as `log(1 + x)`: a run of 20 read-only replies is not ten times as
/// telling as one of 2, and a 600 KB tool result not a thousand times a 600-byte one. Categories
/// and flags enter as 0 or 1. The raw names are the keys of a model file's `weights`.
package enum NextMoveInput: String, Sendable, Hashable, CaseIterable {
    case readOnlyStreak = "read_only_streak"
    case readOnlyShare = "read_only_share"
    case repliesSinceEdit = "replies_since_edit"
    case edited
    case previousToolCalls = "previous_tool_calls"
    case lastMessageBytes = "last_message_bytes"
    case lastToolResultBytes = "last_tool_result_bytes"
    case promptGrowthTokens = "prompt_growth_tokens"
    case loopDepth = "loop_depth"
    case replies
    case promptTokens = "prompt_tokens"
    case toolCallRepeats = "tool_call_repeats"
    case lastToolError = "last_tool_error"
    case lastUserText = "last_user_text"
    case lastToolResult = "last_tool_result"
    case resultsSearch = "results_search"
    case resultsRead = "results_read"
    case resultsList = "results_list"
    case resultsEdit = "results_edit"
    case resultsExec = "results_exec"
    case resultsTest = "results_test"
    case resultsPlan = "results_plan"
    case resultsOther = "results_other"
    /// The last message carries only search, read and list results (errors or not): the old
    /// grep-shaped rule as one input.
    case grepShaped = "grep_shaped"
    /// ``grepShaped`` times `prompt_tokens`: on real traffic the rule's evidence fades as the
    /// prompt grows.
    case grepShapedPromptTokens = "grep_shaped_x_prompt_tokens"

    /// The input's value for a turn. Allocates nothing: it runs for every turn the model scores.
    package func value(in features: TurnFeatures) -> Double {
        let history = features.history
        switch self {
        case .readOnlyStreak: return Self.log(history.readOnlyStreak)
        case .readOnlyShare:
            return history.replies == 0 ? 0 : Double(history.readOnlyReplies) / Double(history.replies)
        case .repliesSinceEdit: return Self.log(history.repliesSinceEdit)
        case .edited: return history.edited ? 1 : 0
        case .previousToolCalls: return Self.log(history.previousCalls)
        case .lastMessageBytes: return Self.log(history.lastMessageBytes)
        case .lastToolResultBytes: return Self.log(features.lastToolResultBytes)
        case .promptGrowthTokens: return Self.log(history.growthTokens)
        case .loopDepth: return Self.log(features.loopDepth)
        case .replies: return Self.log(history.replies)
        case .promptTokens: return Self.log(features.promptTokens)
        case .toolCallRepeats: return Self.log(features.toolCallRepeats)
        case .lastToolError: return features.lastToolError ? 1 : 0
        case .lastUserText: return features.lastMessage == .userText ? 1 : 0
        case .lastToolResult: return features.lastMessage == .toolResult ? 1 : 0
        case .resultsSearch: return Self.has(.search, features)
        case .resultsRead: return Self.has(.read, features)
        case .resultsList: return Self.has(.list, features)
        case .resultsEdit: return Self.has(.edit, features)
        case .resultsExec: return Self.has(.exec, features)
        case .resultsTest: return Self.has(.test, features)
        case .resultsPlan: return Self.has(.plan, features)
        case .resultsOther:
            return features.lastToolCategories.contains { $0 == .web || $0 == .agent || $0 == .other } ? 1 : 0
        case .grepShaped: return Self.grepShaped(features) ? 1 : 0
        case .grepShapedPromptTokens: return Self.grepShaped(features) ? Self.log(features.promptTokens) : 0
        }
    }

    private static func grepShaped(_ features: TurnFeatures) -> Bool {
        features.lastMessage == .toolResult && !features.lastToolCategories.isEmpty
            && features.lastToolCategories.allSatisfy { $0 == .search || $0 == .read || $0 == .list }
    }

    private static func log(_ count: Int) -> Double { Logarithm.natural(1 + Double(Swift.max(0, count))) }

    private static func has(_ category: ToolCategory, _ features: TurnFeatures) -> Double {
        features.lastToolCategories.contains(category) ? 1 : 0
    }
}
