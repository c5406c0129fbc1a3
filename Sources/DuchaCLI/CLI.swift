import ArgumentParser
import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the command line: exit status 0 on success, 1 when refused or invalid (message on
/// stderr, nothing written), 2 for usage errors. ArgumentParser's English texts are put into
/// Chinese on the way out.
public enum CLI {
    static func main(_ arguments: [String]) -> Int32 {
        var command: ParsableCommand? = nil
        // The table's commands name their repository in their global options: no need to look
        // for them by reflection (which costs a start-up's worth of runtime type lookups).
        var fast: (any Runnable, Globals)? = nil
        switch FastParse.parse(arguments) {
        case .command(let c, let g):
            fast = (c, g)
        case .version(let text):
            print(Chinese.help(text))
            return 0
        case nil:
            do {
                command = try Ducha.parseAsRoot(arguments)
            } catch {
                return report(error)
            }
        }
        do {
            if let (runnable, global) = fast {
                try Backend.runDatabaseProgramIfNeeded(global: global)
                try runnable.run()
            } else if var command {
                try Backend.runDatabaseProgramIfNeeded(for: command)
                try command.run()
            }
            return 0
        } catch {
            return report(error)
        }
    }

    /// The core's messages are shared with the interface and name no option; on the command
    /// line, the option that answers a refusal is added.
    static func hint(_ error: CoreError) -> String {
        switch error {
        case .invalidField("修改理由", _): "（用 --reason 写明理由；延期申请用 ducha extension 审批）"
        case .invalidField("所属单位", let reason) where reason.hasPrefix("承办单位用户必须指定"): "（用 --unit 指定）"
        default: ""
        }
    }

    static func hint(_ error: StoreError) -> String {
        if case .refused(let e) = error { return e.message.hasSuffix("可写明报送日期") ? "（--on 日期）" : "" }
        return ""
    }

    static func report(_ error: Error) -> Int32 {
        switch error {
        case let e as Failure:
            Output.note("错误：\(e.message)")
            return 1
        case let e as StoreError:
            Output.note("错误：\(e.message)\(hint(e))")
            return 1
        case let e as CoreError:
            Output.note("错误：\(e.message)\(hint(e))")
            return 1
        case let e as ExitCode:
            return e.rawValue
        default:
            let code = Ducha.exitCode(for: error).rawValue
            if code == 0 {
                let text = Chinese.help(Ducha.fullMessage(for: error))
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                return 0
            }
            // Bad input like any other: exit status 1 (the standard for every refusal).
            Output.note(Chinese.usageError(Ducha.fullMessage(for: error)))
            return 1
        }
    }
}

/// ArgumentParser writes its help and usage errors in English; our users read Chinese.
enum Chinese {
    static let headings: [(String, String)] = [
        ("OVERVIEW: ", "说明："), ("USAGE: ", "用法："), ("ARGUMENTS:", "参数："), ("OPTIONS:", "选项："),
        ("SUBCOMMANDS:", "子命令："), ("Show help information.", "显示帮助。"), ("Show the version.", "显示版本。"),
        ("Show subcommand help information.", "显示子命令的帮助。"), ("<subcommands> ...", "<子命令> …"),
        ("<subcommands>", "<子命令>"),
        ("(default: ", "（默认："), ("(default:", "（默认："), (" (default)", "（默认）"), ("(values: ", "（可选："),
    ]

    static func help(_ text: String) -> String {
        var out = text
        for (en, zh) in headings { out = out.replacingAll(en, with: zh) }
        out = seeHelp(out)
        out = fixParentheses(out)
        out = out.replacingAll("<subcommand>", with: "<子命令>").replacingAll("<options>", with: "<选项>")
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { realign(String($0)) }.joined(separator: "\n")
    }

    /// The helps of the two flags every command has, from ArgumentParser.
    static func argumentText(_ abstract: String) -> String {
        switch abstract {
        case "Show help information.": "显示帮助。"
        case "Show the version.": "显示版本。"
        case "Show subcommand help information.": "显示子命令的帮助。"
        default: abstract
        }
    }

    /// The placeholders ArgumentParser writes itself.
    static func valueName(_ name: String) -> String {
        switch name {
        case "subcommands", "subcommand": "子命令"
        case "options": "选项"
        default: name
        }
    }

    /// "  See 'ducha help unit <subcommand>' for detailed help." → "  用 ducha help unit <子命令> 查看详细帮助。"
    static func seeHelp(_ text: String) -> String {
        let head = "See '"
        let tail = "' for detailed help."
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let h = line.firstRange(of: head), let t = line.firstRange(of: tail), h.upperBound <= t.lowerBound {
                let command = line[h.upperBound..<t.lowerBound]
                lines.append(String(line[..<h.lowerBound]) + "用 \(command) 或在子命令后加 --help 查看详细帮助。")
            } else {
                lines.append(String(line))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// ArgumentParser pads "  --repo <目录>   description" by characters; pad by display cells.
    static func realign(_ line: String) -> String {
        guard line.hasPrefix("  "), !line.hasPrefix("   "), let gap = line.dropFirst(2).firstRange(of: "  ") else { return line }
        let label = String(line[line.index(line.startIndex, offsetBy: 2)..<gap.lowerBound])
        let description = line[gap.upperBound...].trimmingSpaces
        guard !description.isEmpty else { return line }
        let column = 24
        return "  " + (label.displayWidth < column ? label.padded(toWidth: column) : label + "  ") + description
    }

    /// "(默认：x)" → "（默认：x）"
    static func fixParentheses(_ s: String) -> String {
        var out = ""
        var open = 0
        for ch in s {
            if ch == "（" { open += 1 }
            if ch == ")", open > 0 {
                open -= 1
                out.append("）")
                continue
            }
            out.append(ch)
        }
        return out
    }

    static func usageError(_ text: String) -> String {
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasPrefix("Error: ") {
                line = "错误：" + message(String(line.dropFirst(7)))
            } else if line.hasPrefix("Usage: ") {
                line = "用法：" + help(String(line.dropFirst(7)))
            } else if line.hasPrefix("Help: ") || line.hasPrefix("Help:  ") {
                line = "说明：" + line.drop(while: { $0 != " " }).trimmingSpaces
            } else if let r = line.firstRange(of: "See '"), line.hasSuffix("' for more information.") {
                let cmd = line[r.upperBound...].dropLast("' for more information.".count)
                line = "  用 \(cmd) 查看帮助。"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// One ArgumentParser error message in Chinese.
    static func message(_ m: String) -> String {
        func quoted(_ s: Substring) -> [String] {
            s.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
                String($0.element)
            }
        }
        let q = quoted(Substring(m))
        if m.hasPrefix("Missing expected argument"), let a = q.first { return "缺少参数 \(a)" }
        if m.hasPrefix("Unknown option"), let a = q.first { return "未知选项 \(a)" }
        if m.hasPrefix("Unexpected argument"), let a = q.first { return "多余的参数 \(a)（是否拼错了子命令？用 ducha --help 查看）" }
        if m.hasPrefix("Unexpected argument") || m.hasPrefix("Unexpected arguments") || m.contains("unexpected argument") {
            return "多余的参数：" + q.joined(separator: "、") + "（是否拼错了子命令，或文字中有空格而没加引号？用 ducha --help 查看）"
        }
        if m.hasPrefix("Missing value for"), let a = q.first { return "选项 \(a) 缺少值" }
        if m.hasPrefix("The value"), q.count >= 2 { return "选项 \(q[1]) 的值 \(q[0]) 无效" }
        if m.hasPrefix("Missing one of") { return "缺少以下选项之一：" + q.joined(separator: "、") }
        if m.hasPrefix("Value to be set with flag"), q.count >= 2 { return "\(q[0]) 与 \(q[1]) 不能同时使用" }
        if m.contains("can only be specified once") || m.hasPrefix("Duplicate") { return "选项重复：" + q.joined(separator: "、") }
        if m.hasPrefix("Unknown subcommand"), let a = q.first { return "没有子命令 \(a)" }
        // Messages we wrote ourselves (ValidationError) are Chinese already.
        if m.unicodeScalars.contains(where: { $0.value >= 0x4E00 && $0.value <= 0x9FFF }) { return m }
        return "命令行有误（\(m)）"
    }
}
