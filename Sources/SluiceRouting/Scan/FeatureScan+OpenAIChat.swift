import SluiceLedger
import SluiceWire

extension FeatureScan {
    /// Reads an OpenAI Chat Completions request.
    mutating func readChat(_ root: JSONValue) {
        bytes = root.document.bytes
        features.maxTokens = root["max_completion_tokens"]?.int ?? root["max_tokens"]?.int
        features.toolsOffered = root["tools"]?.count ?? 0
        if let choice = root["tool_choice"] {
            features.toolChoice = choice.string ?? choice[path: "function", "name"]?.string
        }
        if let effort = root["reasoning_effort"]?.string { features.thinking = effort != "none" }
        if let stop = root["stop"] { features.hasStopSequences = stop.kind == .string || stop.count > 0 }
        signals.promptCacheKey = root["prompt_cache_key"]?.string
        noteOpenAIOptions(root)
        signals.metadataSessionID = root[path: "metadata", "session_id"]?.string
        guard let messages = root["messages"] else { return }
        conversation = messages.byteRange
        let catalog = self.catalog
        var previousAssistant: JSONValue?
        var answered: JSONValue?
        var trailingTools: [JSONValue] = []
        var lastRole = ""
        var previousAction: String?
        var lastUserContent: JSONValue?
        for message in messages.elements {
            features.messageCount += 1
            let role = message["role"]?.string ?? ""
            let content = message["content"]
            switch role {
            case "system", "developer":
                noteSystemText(content)
            case "user":
                // An observation of a text-protocol agent (SWE-agent) continues the tool loop, as
                // does the output of a command aider ran.
                if !(previousAction != nil && Self.isObservation(content, in: root.document.bytes))
                    && !Self.isRunOutput(content)
                {
                    features.loopDepth = 0
                }
                noteUserText(content)
                for part in content.elementsIfAny where part["type"]?.isString("image_url") == true {
                    noteImage(dataBytes: part[path: "image_url", "url"]?.rawStringRange.count ?? 0)
                }
            case "assistant":
                features.assistantMessages += 1
                let toolCalls = message["tool_calls"].elementsIfAny.map {
                    (name: $0[path: "function", "name"], input: $0[path: "function", "arguments"])
                }
                previousAction = toolCalls.isEmpty ? Self.textAction(in: content) : nil
                if !toolCalls.isEmpty || previousAction != nil { features.loopDepth += 1 }
                noteToolCalls(previousAction != nil ? [(nil, content)] : toolCalls, textAction: previousAction)
                let start = message.byteRange.lowerBound
                if let action = previousAction {
                    let category = category(of: content) { ToolCallInfo(textAction: action, catalog: catalog).category }
                    noteReply(CollectionOfOne(category), at: start)
                } else {
                    let categories = toolCalls.map { call in
                        category(of: call.name, call.input) {
                            ToolCallInfo(name: call.name?.string ?? "", input: call.input, catalog: catalog).category
                        }
                    }
                    noteReply(categories, at: start)
                }
                previousAssistant = message
            default:
                break
            }
            if role == "tool" || role == "function" {
                if lastRole != "tool" && lastRole != "function" {
                    trailingTools.removeAll()
                    answered = previousAssistant
                }
                trailingTools.append(message)
            }
            if role == "user" { lastUserContent = content }
            lastRole = role
            features.history.lastMessageBytes = message.byteRange.count
        }
        switch lastRole {
        case "user":
            if let run = Self.runOutput(lastUserContent) {
                features.lastMessage = .toolResult
                // aider reports a command it ran on its own after an edit (--auto-test, --auto-lint)
                // only when the command failed.
                results.append(("run-output", run.output, previousAction == Self.editBlockAction))
                calls["run-output"] = ToolCallInfo(textAction: run.command, catalog: catalog)
                break
            }
            guard let action = previousAction, Self.isObservation(lastUserContent, in: root.document.bytes) else {
                features.lastMessage = .userText
                break
            }
            features.lastMessage = .toolResult
            // aider sends output back after edits only when its linter or tests failed.
            results.append(("text-action", Self.textRanges(of: lastUserContent), action == Self.editBlockAction))
            calls["text-action"] = ToolCallInfo(textAction: action, catalog: catalog)
        case "assistant": features.lastMessage = .assistant
        case "system", "developer": features.lastMessage = .system
        case "tool", "function":
            features.lastMessage = .toolResult
            for message in trailingTools {
                let id = message["tool_call_id"]?.string ?? message["name"]?.string ?? ""
                results.append((id, Self.textRanges(of: message["content"]), false))
            }
            for call in (answered?["tool_calls"]).elementsIfAny {
                guard let id = call["id"]?.string else { continue }
                calls[id] = ToolCallInfo(
                    name: call[path: "function", "name"]?.string ?? "", input: call[path: "function", "arguments"],
                    catalog: catalog)
            }
        default:
            features.lastMessage = .none
        }
    }
}
