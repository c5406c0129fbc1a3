import ArgumentParser
import DuchaCore
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// `ducha __complete …`, called by the bash and zsh completion scripts (not shown in help):
///
///     ducha __complete words -- ducha add --lead 县    the words that may follow, one a line
///     ducha __complete units|items|sources|states|commands   one list
///
/// Subcommands and options come from the command definitions; unit names, item numbers and
/// sources from the repository (a unit's user gets only the items it may see). For a file or
/// folder the answer is the single line `:文件` or `:目录`, and the script completes paths.
struct CompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "__complete", shouldDisplay: false)

    @Argument(parsing: .allUnrecognized) var words: [String] = []

    func run() throws {
        guard let kind = words.first else { return }
        let tree = try CommandNode.root()
        var out: [String]
        switch kind {
        case "words":
            var rest = Array(words.dropFirst())
            if rest.first == "--" { rest.removeFirst() }
            out = Completion.candidates(tree, words: rest)
        case "commands":
            out = tree.all.filter(\.shown).map(\.fullName)
        default:
            out = Completion.values(kind, repo: nil)
        }
        var text = ""
        for line in out where !line.contains("\n") { text += line + "\n" }
        Output.write(Array(text.utf8), to: 1)
    }
}

enum Completion {
    /// What value a placeholder stands for.
    static func valueKind(_ valueName: String) -> String? {
        switch valueName {
        case "编号": "items"
        case "单位": "units"
        case "来源": "sources"
        case "状态": "states"
        case "依据": "bases"
        case "程度": "urgencies"
        case "文件": ":文件"
        case "目录": ":目录"
        default: nil
        }
    }

    /// The words that may come next, given the words typed so far; the last is the one being
    /// completed (possibly empty). Every candidate begins with it.
    static func candidates(_ tree: CommandNode, words: [String]) -> [String] {
        var typed = words
        let current = typed.popLast() ?? ""
        if !typed.isEmpty { typed.removeFirst() }  // the program's name
        var node = tree
        var repo: String?
        var pendingValue: CommandNode.Argument?
        var positionals = 0
        var afterTerminator = false
        for w in typed {
            if let p = pendingValue {
                if p.names.contains("--repo") { repo = w }
                pendingValue = nil
                continue
            }
            if !afterTerminator, w == "--" {
                afterTerminator = true
                continue
            }
            if !afterTerminator, w.hasPrefix("-"), w != "-" {
                if w.hasPrefix("--repo=") { repo = String(w.dropFirst(7)) }
                if let a = node.argument(named: w), a.kind == .option, !w.contains("=") { pendingValue = a }
                continue
            }
            if positionals == 0, let sub = node.subcommand(w) {
                node = sub
                continue
            }
            positionals += 1
        }
        var out: [String] = []
        if let p = pendingValue {
            out = valueKind(p.valueName).map { values($0, repo: repo) } ?? []
        } else if current.hasPrefix("-"), !afterTerminator {
            for a in node.arguments where a.shown && a.kind != .positional { out += a.names.filter { $0.hasPrefix("--") } }
            if current != "-", current != "--" || out.isEmpty {
                for a in node.arguments where a.shown && a.kind != .positional {
                    out += a.names.filter { !$0.hasPrefix("--") }
                }
            }
        } else {
            if positionals == 0 { out = node.subcommands.filter(\.shown).map(\.name) }
            let args = node.positionals
            if positionals < args.count || args.last?.isRepeating == true {
                let a = args[min(positionals, args.count - 1)]
                out += valueKind(a.valueName).map { values($0, repo: repo) } ?? []
            }
        }
        if out.first?.hasPrefix(":") == true { return [out[0]] }
        return out.filter { $0.hasPrefix(current) }
    }

    /// The repository for completion: a folder, or a database (Context runs ducha-pg for one).
    static func opened(_ ctx: Context) -> LedgerStore? {
        if let database = ctx.database { return try? database.open(ctx.repoPath, mode: .summary, live: false) }
        return try? Repository.open(at: ctx.repoPath, mode: .summary)
    }

    /// One list of values; the repository's when it can be opened (errors are silent:
    /// completion offers nothing rather than a message in the middle of a command line).
    static func values(_ kind: String, repo: String?) -> [String] {
        switch kind {
        case "states": return ItemState.allCases.map(\.label)
        case "urgencies": return Urgency.allCases.map(\.label)
        case ":文件", ":目录": return [kind]
        default: break
        }
        guard let options = try? GlobalOptions.parse(repo.map { ["--repo", $0] } ?? []), let ctx = try? Context(options),
            let repository = opened(ctx)
        else { return [] }
        Context.opened.append(repository)
        let ledger = repository.ledger
        switch kind {
        case "units": return ledger.units.map(\.name)
        case "sources": return ledger.settings.sources
        case "items":
            guard let actor = try? ctx.actor(repository) else { return [] }
            let year = ctx.today.year
            return ledger.visibleItems(to: actor).sorted { $0.number < $1.number }.map {
                ($0.number.year == year ? String($0.number.serial) : "\($0.number.year)-\($0.number.serial)")
                    + ($0.number.isChild ? "之\($0.number.sub)" : "")
            }
        case "bases":
            // The names of the bases the user's items have (a name names its basis).
            guard let actor = try? ctx.actor(repository) else { return [] }
            return Set(ledger.visibleItems(to: actor).compactMap(\.basisInfo)).sorted().map(\.name).reduce(into: []) {
                if !$0.contains($1) { $0.append($1) }
            }
        default: return []
        }
    }
}
