import SluiceLedger
import SluiceWire

extension FeatureScan {
    /// Reads an Anthropic Messages request.
    mutating func readAnthropic(_ root: JSONValue) {
        bytes = root.document.bytes
        features.maxTokens = root["max_tokens"]?.int
        features.toolsOffered = root["tools"]?.count ?? 0
        if let choice = root["tool_choice"] {
            features.toolChoice = choice[path: "type"]?.string == "tool" ? choice["name"]?.string : choice["type"]?.string
        }
        let thinkingType = root[path: "thinking", "type"]?.string
        switch thinkingType {
        case "disabled": features.thinking = false
        case .some: features.thinking = true
        case nil: features.thinking = root[path: "output_config", "effort"] != nil
        }
        features.hasStopSequences = (root["stop_sequences"]?.count ?? 0) > 0
        signals.metadataUserID = root[path: "metadata", "user_id"]?.string
        features.clientUser = signals.metadataUserID.flatMap(SessionKey.claudeCodeUser(fromUserID:)).map { "cc:" + $0 }
        // Anthropic caches only where a request marks it: no mark, no cache.
        features.cacheRequest = .off
        noteCacheControl(root)
        for block in root["system"].elementsIfAny { noteCacheControl(block) }
        for tool in root["tools"].elementsIfAny { noteCacheControl(tool) }
        noteSystemText(root["system"])
        guard let messages = root["messages"] else { return }
        conversation = messages.byteRange
        let catalog = self.catalog
        var previousAssistant: JSONValue?
        var lastAssistant: JSONValue?
        var last: JSONValue?
        for message in messages.elements {
            features.messageCount += 1
            let content = message["content"]
            if message["role"]?.isString("assistant") == true {
                features.assistantMessages += 1
                var toolCalls: [(name: JSONValue?, input: JSONValue?)] = []
                for block in content.elementsIfAny {
                    noteCacheControl(block)
                    let type = block["type"]
                    if type?.isString("tool_use") == true {
                        toolCalls.append((block["name"], block["input"]))
                    } else if type?.isString("thinking") == true || type?.isString("redacted_thinking") == true {
                        sawThinking = true
                    }
                }
                if !toolCalls.isEmpty { features.loopDepth += 1 }
                noteToolCalls(toolCalls)
                let categories = toolCalls.map { call in
                    category(of: call.name, call.input) {
                        ToolCallInfo(name: call.name?.string ?? "", input: call.input, catalog: catalog).category
                    }
                }
                noteReply(categories, at: message.byteRange.lowerBound)
                previousAssistant = message
            } else if message["role"]?.isString("user") == true {
                var hasToolResult = false
                var hasText = content?.kind == .string
                for block in content.elementsIfAny {
                    noteCacheControl(block)
                    let type = block["type"]
                    if type?.isString("tool_result") == true {
                        hasToolResult = true
                        for inner in block["content"].elementsIfAny
                        where inner["type"]?.isString("image") == true {
                            noteImage(dataBytes: inner[path: "source", "data"]?.rawStringRange.count ?? 0)
                        }
                    } else if type?.isString("image") == true {
                        noteImage(dataBytes: block[path: "source", "data"]?.rawStringRange.count ?? 0)
                    } else if type?.isString("text") == true, let text = block["text"],
                        !text.rawStringHasPrefix("<system-reminder>"), !text.rawStringHasPrefix("[Request interrupted")
                    {
                        hasText = true
                    }
                }
                if !hasToolResult || hasText {
                    if hasText { features.loopDepth = 0 }
                    noteUserText(content)
                }
                lastAssistant = previousAssistant
            }
            last = message
        }
        // Claude Code does not always say so in the request, but thinking in the history means it is on.
        if thinkingType == nil && sawThinking { features.thinking = true }
        guard let last else { return }
        features.history.lastMessageBytes = last.byteRange.count
        switch last["role"]?.string {
        case "assistant": features.lastMessage = .assistant
        case "system": features.lastMessage = .system
        default:
            let content = last["content"]
            let blocks = content?.elements.filter { $0["type"]?.isString("tool_result") == true } ?? []
            let hasRealText = content?.elements.contains {
                $0["type"]?.isString("text") == true && $0["text"].map {
                    !$0.rawStringHasPrefix("<system-reminder>") && !$0.rawStringHasPrefix("[Request interrupted")
                } == true
            } ?? false
            if blocks.isEmpty || hasRealText || content?.kind == .string {
                features.lastMessage = .userText
                return
            }
            features.lastMessage = .toolResult
            for block in blocks {
                results.append(
                    (block["tool_use_id"]?.string ?? "", Self.textRanges(of: block["content"]),
                     block["is_error"]?.bool == true))
            }
            for block in (lastAssistant?["content"]).elementsIfAny
            where block["type"]?.isString("tool_use") == true {
                guard let id = block["id"]?.string, results.contains(where: { $0.callID == id }) else { continue }
                calls[id] = ToolCallInfo(name: block["name"]?.string ?? "", input: block["input"], catalog: catalog)
            }
        }
    }
}

