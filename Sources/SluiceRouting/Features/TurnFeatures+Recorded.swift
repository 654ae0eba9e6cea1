package import SluiceLedger
import SluiceWire

extension TurnFeatures {
    /// What the ledger keeps of these features beyond its own columns, for `sluice replay`.
    package var recorded: RecordedFeatures {
        RecordedFeatures(
            messageCount: messageCount, assistantMessages: assistantMessages, toolsOffered: toolsOffered,
            toolChoice: toolChoice, thinking: thinking, maxTokens: maxTokens, images: images,
            hasStopSequences: hasStopSequences, lastMessage: lastMessage.rawValue, lastToolNames: lastToolNames,
            lastToolResultBytes: lastToolResultBytes, newPromptTokens: newPromptTokens, subagent: subagent,
            cacheRequest: cacheRequest, history: history)
    }

    /// The features of a recorded turn, rebuilt from its ledger row: what replay decides with.
    ///
    /// A row written before Sluice kept ``TurnRecord/features`` gives only its columns; the
    /// rest take their defaults, which `sluice replay` says in its output.
    package init(record: TurnRecord) {
        let kept = record.features ?? RecordedFeatures()
        self.init(
            dialect: record.clientDialect, requestedModel: record.requestedModel, stream: record.stream,
            promptTokens: record.promptTokensEstimate, messageCount: kept.messageCount,
            toolsOffered: kept.toolsOffered, toolChoice: kept.toolChoice, thinking: kept.thinking,
            maxTokens: kept.maxTokens, images: kept.images, hasStopSequences: kept.hasStopSequences,
            lastMessage: MessageKind(rawValue: kept.lastMessage) ?? .none,
            lastToolCategories: record.toolCategories.compactMap(ToolCategory.init(rawValue:)).sorted(),
            lastToolNames: kept.lastToolNames, lastToolError: record.toolError,
            lastToolResultBytes: kept.lastToolResultBytes, loopDepth: record.loopDepth, subagent: kept.subagent,
            shape: TurnShape(rawValue: record.shape) ?? .other, toolCallRepeats: record.toolCallRepeats ?? 0,
            newPromptTokens: kept.newPromptTokens, assistantMessages: kept.assistantMessages)
        cacheRequest = kept.cacheRequest
        history = kept.history ?? ReplyHistory()
    }
}
