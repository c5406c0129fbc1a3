import ArgumentParser
import DuchaCore

/// `ducha __man`: the manual page ducha(1) in roff, made from the command definitions (the
/// same ones `--help` shows), so it lists exactly the commands and options the binary has.
/// `make install` writes it to share/man/man1/ducha.1.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "__man", shouldDisplay: false)

    func run() throws {
        Output.write(Array(Manual.page(try CommandNode.root()).utf8), to: 1)
    }
}

enum Manual {
    static func page(_ root: CommandNode) -> String {
        var out: [String] = []
        out.append(".\\\" ducha(1)：由 ducha __man 按命令定义生成，请勿手改。")
        out.append(".TH DUCHA 1 \"\" \"\(escape(Ducha.configuration.version))\" \"督查督办台账\"")
        // Left-aligned, no hyphenation: Chinese lines are not stretched, Latin words not split.
        out.append(".ad l")
        out.append(".nh")
        out.append(".SH 名称")
        out.append("ducha \\- " + escape(root.abstract))
        out.append(".SH 概要")
        out.append(".B ducha")
        out.append("[\\fI选项\\fR] [\\fI子命令\\fR [\\fI参数\\fR…]]")
        out.append(".SH 描述")
        out += paragraphs(root.discussion)
        // The options every command takes (--repo, --today, --help…) are described once.
        let visible = root.all.filter { $0.shown && isShown($0, in: root) }
        var global = Set(root.arguments.flatMap(\.names))
        for node in visible where node.subcommands.isEmpty && node.path != ["ducha", "help"] {
            global.formIntersection(node.arguments.flatMap(\.names))
        }
        out.append(".SH 全局选项")
        out.append("每个命令都接受以下选项。")
        out += arguments(root.arguments.filter { $0.shown && $0.names.contains(where: global.contains) })
        out.append(".SH 命令")
        for node in visible {
            let isRoot = node.path.count == 1
            out.append(".SS \"\(escape(node.fullName))\"")
            if isRoot {
                // Described above; here what it does without a subcommand.
                out.append("不带子命令：显示台账总览（在终端中打开全屏界面）。")
            } else {
                if !node.abstract.isEmpty { out += paragraphs(node.abstract) }
                if !node.discussion.isEmpty { out += [".PP"] + paragraphs(node.discussion) }
            }
            out.append(".PP")
            out.append("用法：\\fB\(escape(node.fullName))\\fR " + escape(isRoot ? "[<选项>]" : usage(node)))
            if let d = node.defaultSubcommand { out.append("（不写子命令即为 \(escape(d))）") }
            let own = node.arguments.filter { a in
                a.shown && !(a.kind != .positional && a.names.allSatisfy { global.contains($0) })
            }
            if !own.isEmpty {
                out.append(".RS")
                out += arguments(own)
                out.append(".RE")
            }
        }
        out.append(".SH 环境变量")
        for (name, text) in [
            ("DUCHA_REPO", "台账目录，未用 --repo 指定时使用（多用户服务器上只能是系统台账）。"),
            ("DUCHA_TODAY", "以此日期（YYYY-MM-DD）为今天，只改变显示；写入仍以服务器时钟为准。"),
            ("DUCHA_DATA", "节假日表和默认设置所在的目录（未安装时使用）。"),
            ("XDG_DATA_HOME", "单用户时台账的默认位置为其下的 ducha 目录（默认 ~/.local/share/ducha）。"),
            ("EDITOR", "界面中编写较长文字时使用的编辑器。"),
            ("NO_COLOR", "非空时界面不用颜色。"),
        ] {
            out.append(".TP")
            out.append(".B \(name)")
            out.append(escape(text))
        }
        out.append(".SH 退出状态")
        out.append(".TP\n.B 0\n成功。")
        out.append(".TP\n.B 1\n操作被拒绝或失败（原因写在标准错误上），台账未作改动。")
        out.append(".TP\n.B 2\n命令行有误（未知选项、缺少参数等）。")
        out.append(".SH 另见")
        out.append("用 \\fBducha \\-\\-help\\fR 或 \\fBducha\\fR \\fI子命令\\fR \\fB\\-\\-help\\fR 查看各命令的帮助。")
        return out.joined(separator: "\n") + "\n"
    }

    /// A command hidden anywhere on its path is left out.
    static func isShown(_ node: CommandNode, in root: CommandNode) -> Bool {
        var n = root
        for name in node.path.dropFirst() {
            guard let s = n.subcommand(name), s.shown else { return false }
            n = s
        }
        return true
    }

    /// "[<选项>] --title <名称> <编号>": the required arguments spelled out.
    static func usage(_ node: CommandNode) -> String {
        if !node.subcommands.isEmpty { return "<子命令>" }
        var parts: [String] = []
        if node.arguments.contains(where: { $0.shown && $0.kind != .positional && $0.isOptional }) { parts.append("[<选项>]") }
        for a in node.arguments where a.shown && a.kind != .positional && !a.isOptional { parts.append(a.synopsis) }
        for a in node.positionals where a.shown { parts.append(a.isOptional ? "[\(a.synopsis)]" : a.synopsis) }
        return parts.joined(separator: " ")
    }

    static func arguments(_ args: [CommandNode.Argument]) -> [String] {
        var out: [String] = []
        for a in args {
            out.append(".TP")
            switch a.kind {
            case .positional: out.append("\\fI<\(escape(a.valueName))>\\fR")
            case .option:
                out.append(a.names.map { "\\fB\(escape($0))\\fR" }.joined(separator: ", ") + " \\fI<\(escape(a.valueName))>\\fR")
            case .flag: out.append(a.names.map { "\\fB\(escape($0))\\fR" }.joined(separator: ", "))
            }
            var text = Chinese.argumentText(a.abstract)
            if let d = a.defaultValue, !d.isEmpty, !text.contains("默认") { text += "（默认：\(d)）" }
            out.append(escape(text.isEmpty ? "—" : text))
        }
        return out
    }

    /// The text's paragraphs (split at blank lines); the lines of one paragraph are joined,
    /// without a space where Chinese meets Chinese.
    static func paragraphs(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        func wide(_ c: Character?) -> Bool {
            guard let v = c?.unicodeScalars.first?.value else { return false }
            return v >= 0x2E80
        }
        func flush() {
            if !current.isEmpty { out.append(escape(current)) }
            current = ""
        }
        for p in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = p.trimmingSpaces
            if line.isEmpty {
                flush()
                if !out.isEmpty, out.last != ".PP" { out.append(".PP") }
                continue
            }
            if !current.isEmpty, !(wide(current.last) && wide(line.first)) { current += " " }
            current += line
        }
        flush()
        return out
    }

    /// Text safe in roff: backslashes and hyphens escaped, no line taken for a request, and a
    /// place to break the line (\\:) after each Chinese character — Chinese has no spaces,
    /// and groff breaks lines only at spaces and hyphens — except before closing punctuation.
    static func escape(_ s: String) -> String {
        let closing: Set<Character> = ["，", "。", "；", "：", "、", "）", "》", "」", "』", "”", "！", "？", "〕", "…"]
        var out = ""
        let chars = Array(s)
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            default: out.append(ch)
            }
            let wide = ch.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false
            if wide, i + 1 < chars.count, !closing.contains(chars[i + 1]) { out += "\\:" }
        }
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}
