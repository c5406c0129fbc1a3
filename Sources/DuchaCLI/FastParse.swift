import ArgumentParser
import DuchaCore

/// The commands people run most, parsed from a static table instead of by ArgumentParser.
///
/// ArgumentParser builds every command's option table by reflection (Mirror over the property
/// wrappers, generic types resolved by name, protocol conformances looked up one by one) on
/// every run: about two thirds of what `ducha add` executes. Here the same commands are read
/// from a table and built by setting their properties, as ArgumentParser would have decoded them.
///
/// Only input the table fully understands is taken: known long options (`--name value` or
/// `--name=value`), each at most once unless repeatable, flags, the command's positional
/// arguments, and no value that is empty or begins with `-`. Anything else — help,
/// short options, `--`, a missing or extra argument, a value that does not convert, a
/// `validate()` that refuses — returns nil, and ArgumentParser parses the whole line as
/// before, with the same Chinese messages. The table is checked against the command
/// definitions (`FastParse.mismatches`), and each command parsed both ways must come out
/// identical (`ducha __parse args …`, used by FastParseTests).
///
/// The table builds each command as plain values (`AddValues` …), not as its ArgumentParser
/// struct: making an `Add` initialises its seventeen property wrappers, and with them generic
/// types of ArgumentParser's that the runtime instantiates at first use (name sets, option
/// definitions), some tenth of what `ducha add` did at 1,000 items.
enum FastParse {
    enum Result {
        /// The command, and its global options (where its repository is named).
        case command(any Runnable, Globals)
        /// `ducha --version`: the text ArgumentParser prints.
        case version(String)
    }

    /// The table's idea of one option, flag or positional argument.
    struct Spec: Equatable, Sendable {
        enum Kind: String, Sendable { case option, repeating, flag }
        var name: String
        var kind: Kind
        /// An option without a default: the command is not built without it.
        var required = false

        static func option(_ name: String, required: Bool = false) -> Spec { Spec(name: name, kind: .option, required: required) }
        static func repeating(_ name: String) -> Spec { Spec(name: name, kind: .repeating) }
        static func flag(_ name: String) -> Spec { Spec(name: name, kind: .flag) }
    }

    /// What was given on the command line for one command: a few names each, looked up in
    /// order (a dictionary's generic types cost more to set up at start than all the lookups).
    struct Values {
        /// Options and repeated options, in the order given; flags with an empty value.
        var given: [(name: String, value: String)] = []
        var positionals: [String] = []

        subscript(_ name: String) -> String? { given.first { $0.name == name }?.value }
        func list(_ name: String) -> [String] { given.filter { $0.name == name }.map(\.value) }
        func flag(_ name: String) -> Bool { given.contains { $0.name == name } }

        var global: Globals { Globals(repo: self["--repo"], today: self["--today"]) }

        var proxy: Proxy { Proxy(unit: self["--for"], on: self["--on"]) }
    }

    struct Command: Sendable {
        /// The words after `ducha`: ["export", "overdue"]; [] for ducha itself.
        var path: [String]
        var specs: [Spec]
        /// The positional arguments, all required.
        var positionals: Int = 0
        /// nil when a value does not convert (ArgumentParser then says why).
        var build: @Sendable (Values) -> (any Runnable)?
    }

    static let global: [Spec] = [.option("--repo"), .option("--today")]

    static let commands: [Command] = [
        Command(path: [], specs: global + [.flag("--summary")]) { v in
            var g = GlobalOptions()
            g.repo = v["--repo"]
            g.today = v["--today"]
            var c = Ducha()
            c.global = g
            c.summary = v.flag("--summary")
            return c.plain
        },
        Command(
            path: ["add"],
            specs: global + [
                .option("--title", required: true), .repeating("--lead"), .option("--deadline"), .repeating("--co"),
                .option("--source"), .option("--leader"), .option("--urgency"), .option("--instruction"), .option("--assigned"),
                .option("--owner"), .option("--contact"), .option("--phone"), .option("--cycle"), .option("--basis"),
                .option("--basis-number"), .option("--basis-date"), .option("--parent"),
            ]
        ) { v in
            var c = AddValues(global: v.global, title: v["--title"]!)
            c.lead = v.list("--lead")
            c.deadline = v["--deadline"]
            c.co = v.list("--co")
            c.source = v["--source"]
            c.leader = v["--leader"]
            c.urgency = v["--urgency"]
            c.instruction = v["--instruction"]
            c.assigned = v["--assigned"]
            c.owner = v["--owner"]
            c.contact = v["--contact"]
            c.phone = v["--phone"]
            c.cycle = v["--cycle"]
            c.basis = v["--basis"]
            c.basisNumber = v["--basis-number"]
            c.basisDate = v["--basis-date"]
            c.parent = v["--parent"]
            return c
        },
        Command(
            path: ["feedback"], specs: global + [.option("--for"), .option("--on"), .repeating("--attach")], positionals: 2
        ) { v in
            FeedbackValues(
                global: v.global, number: v.positionals[0], text: v.positionals[1], proxy: v.proxy, attach: v.list("--attach"))
        },
        Command(
            path: ["list"],
            specs: global + [
                .flag("--overdue"), .flag("--due-soon"), .flag("--open"), .flag("--closed"), .option("--unit"),
                .option("--source"),
                .option("--state"), .option("--search"), .option("--basis"), .option("--mark"), .option("--sort"),
                .option("--format"),
            ]
        ) { v in
            var c = ListValues(global: v.global)
            c.overdue = v.flag("--overdue")
            c.dueSoon = v.flag("--due-soon")
            c.open = v.flag("--open")
            c.closed = v.flag("--closed")
            c.unit = v["--unit"]
            c.source = v["--source"]
            c.state = v["--state"]
            c.search = v["--search"]
            c.basis = v["--basis"]
            c.mark = v["--mark"]
            c.sort = v["--sort"]
            c.format = v["--format"] ?? "table"
            return c
        },
        Command(
            path: ["export", "overdue"],
            specs: global + [
                .option("--format"), .option("--output"), .flag("--force"), .flag("--issue"), .flag("--due-soon"),
                .option("--width"),
            ]
        ) { v in
            var c = ExportOverdueValues(global: v.global)
            c.formatGiven = v["--format"]
            c.output = v["--output"]
            c.force = v.flag("--force")
            c.issue = v.flag("--issue")
            c.dueSoon = v.flag("--due-soon")
            if let w = v["--width"] {
                guard let n = Int(w) else { return nil }
                c.width = n
            } else {
                c.width = nil
            }
            return c
        },
    ]

    /// The command `arguments` (without the program's name) mean, or nil to let ArgumentParser
    /// parse them.
    static func parse(_ arguments: [String]) -> Result? {
        if arguments == ["--version"] { return .version(Ducha.configuration.version) }
        // Global options may come before the command's words; the words must follow each other.
        // (Another option there stops the words: only ducha itself may then take it.)
        var i = 0
        var values = Values()
        while i < arguments.count, arguments[i].hasPrefix("-") {
            var next = i
            guard take(arguments, &next, global, into: &values) else { break }
            i = next
        }
        let words = arguments[i...].prefix { !$0.hasPrefix("-") }
        // The longest path the words begin with: "export overdue" rather than a command "export".
        guard
            let command = commands.filter({ words.starts(with: $0.path) }).max(by: { $0.path.count < $1.path.count })
        else { return nil }
        i += command.path.count
        while i < arguments.count {
            let a = arguments[i]
            if a.hasPrefix("-") {
                guard take(arguments, &i, command.specs, into: &values) else { return nil }
            } else {
                values.positionals.append(a)
                i += 1
            }
        }
        guard values.positionals.count == command.positionals else { return nil }
        for s in command.specs where s.required && values[s.name] == nil { return nil }
        guard let built = command.build(values) else { return nil }
        // As ArgumentParser does after decoding; a refusal is left to it, to be worded as usual.
        guard (try? built.validate()) != nil else { return nil }
        return .command(built, values.global)
    }

    /// Reads the option at `arguments[i]` if `specs` knows it, advancing `i` past its value.
    private static func take(_ arguments: [String], _ i: inout Int, _ specs: [Spec], into values: inout Values) -> Bool {
        let a = arguments[i]
        guard a.hasPrefix("--"), a.count > 2 else { return false }
        var name = a
        var value: String? = nil
        if let eq = a.firstIndex(of: "=") {
            name = String(a[..<eq])
            value = String(a[a.index(after: eq)...])
        }
        guard let spec = specs.first(where: { $0.name == name }) else { return false }
        i += 1
        if spec.kind == .flag {
            guard value == nil, !values.flag(name) else { return false }
            values.given.append((name, ""))
            return true
        }
        if value == nil {
            guard i < arguments.count else { return false }
            value = arguments[i]
            i += 1
        }
        guard let v = value, !v.isEmpty, !v.hasPrefix("-") else { return false }
        // An option at most once, a repeating one as often as given.
        guard spec.kind == .repeating || values[name] == nil else { return false }
        values.given.append((name, v))
        return true
    }

    /// How the table differs from the command definitions ArgumentParser reads (`--help` and
    /// the man page come from those): one line per difference; none when they agree.
    static func mismatches(_ root: CommandNode) -> [String] {
        var out: [String] = []
        for command in commands {
            var node: CommandNode? = root
            for word in command.path { node = node?.subcommand(word) }
            let name = (["ducha"] + command.path).joined(separator: " ")
            guard let node else {
                out.append("\(name)：命令定义中没有这个命令")
                continue
            }
            var defined: [Spec] = []
            var positionals = 0
            for a in node.arguments {
                switch a.kind {
                case .positional:
                    positionals += 1
                    if a.isOptional || a.isRepeating { out.append("\(name)：位置参数 <\(a.valueName)> 可省略或可重复，快速解析不支持") }
                case .option:
                    defined.append(
                        Spec(
                            name: a.names[0], kind: a.isRepeating ? .repeating : .option,
                            required: !a.isOptional && !a.isRepeating))
                    if a.names.count > 1 {
                        out.append("\(name)：\(a.names[0]) 另有别名 \(a.names.dropFirst().joined(separator: "、"))")
                    }
                case .flag:
                    // The flags ArgumentParser answers itself (help, version) are left to it.
                    if a.names.contains("--help") || a.names.contains("--version") { continue }
                    defined.append(Spec(name: a.names[0], kind: a.isRepeating ? .repeating : .flag))
                    if a.names.count > 1 {
                        out.append("\(name)：\(a.names[0]) 另有别名 \(a.names.dropFirst().joined(separator: "、"))")
                    }
                }
            }
            if positionals != command.positionals { out.append("\(name)：位置参数定义为 \(positionals) 个，表中为 \(command.positionals) 个") }
            for d in defined where !command.specs.contains(d) {
                out.append("\(name)：定义中的 \(d.name)（\(d.kind.rawValue)\(d.required ? "，必填" : "")）不在表中或不一致")
            }
            for s in command.specs where !defined.contains(s) {
                out.append("\(name)：表中的 \(s.name)（\(s.kind.rawValue)\(s.required ? "，必填" : "")）不在定义中或不一致")
            }
        }
        return out
    }
}

/// A command's values, ready to run: what `FastParse` builds, and what the ArgumentParser
/// commands it knows hand over to (`PlainCommand`).
protocol Runnable {
    func validate() throws
    func run() throws
}

/// An ArgumentParser command that runs as plain values.
protocol PlainCommand: ParsableCommand {
    var plain: any Runnable { get }
}

extension Add: PlainCommand {}
extension List: PlainCommand {}
extension Feedback: PlainCommand {}
extension ExportOverdue: PlainCommand {}
extension Ducha: PlainCommand {
    /// The root command itself (only `ducha --summary` is in the table).
    var plain: any Runnable { Parsed(command: self) }
}

/// An ArgumentParser command as it is.
struct Parsed: Runnable {
    var command: ParsableCommand
    func validate() throws {
        var c = command
        try c.validate()
    }
    func run() throws {
        var c = command
        try c.run()
    }
}

/// `ducha __parse args 参数…`: the argument list parsed by the table and by ArgumentParser, one
/// line each, for FastParseTests; `ducha __parse` alone lists how the table differs from the
/// command definitions.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "__parse", shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough) var words: [String] = []

    func run() throws {
        guard words.first == "args" else {
            for line in FastParse.mismatches(try CommandNode.root()) { Output.line(line) }
            return
        }
        let words = Array(words.dropFirst())
        var fast = "fast: -"
        switch FastParse.parse(words) {
        case .command(let c, _): fast = "fast: " + Self.describe(c)
        case .version(let text): fast = "fast: exit 0 " + Chinese.help(text)
        case nil: break
        }
        var full: String
        do {
            let parsed = try Ducha.parseAsRoot(words)
            full = "full: " + Self.describe((parsed as? PlainCommand)?.plain ?? parsed)
        } catch {
            let code = Ducha.exitCode(for: error).rawValue
            full =
                "full: exit \(code) " + (code == 0 ? Chinese.help(Ducha.fullMessage(for: error)) : Ducha.fullMessage(for: error))
        }
        print(fast.replacingAll("\n", with: "⏎"))
        print(full.replacingAll("\n", with: "⏎"))
    }

    /// The command's type and every property as set, wrappers included.
    static func describe(_ command: Any) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }
}
