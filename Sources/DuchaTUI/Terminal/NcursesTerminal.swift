import CNcursesw

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal through ncursesw: wide-character input (get_wch, so Chinese typed through an
/// input method arrives as ordinary characters), KEY_RESIZE for resizes, and drawing of Screen
/// frames row by row, redrawing only rows that changed.
public final class NcursesTerminal {
    let screenPointer: OpaquePointer
    let useColor: Bool
    var previous: Screen?
    /// Keys read past a bare Esc that turned out not to start a sequence.
    var pending: [Event] = []
    /// Said once in the status line when the environment's locale could not show Chinese and
    /// C.UTF-8 was used instead.
    public let localeNotice: String?
    /// How long to wait for the rest of a key sequence once curses has handed over its Esc
    /// (curses itself waits `escapeDelay` first): short enough that Esc feels immediate, long
    /// enough for a sequence split across network packets.
    static let escapeDelay: Int32 = 25
    static let sequenceTimeout: Int32 = 25

    public enum Failure: Error, CustomStringConvertible {
        case noTerminal(String)
        public var description: String {
            switch self {
            case .noTerminal(let term): "无法打开终端（TERM=\(term)）：请在真正的终端中运行，或设置正确的 TERM"
            }
        }
    }

    /// Takes over the terminal. `color`: whether colour may be used (the caller honours NO_COLOR).
    public init(color: Bool) throws {
        localeNotice = TerminalLocale.setUp()
        guard let s = newterm(nil, ducha_stdout(), ducha_stdin()) else {
            throw Failure.noTerminal(getenv("TERM").map { String(cString: $0) } ?? "")
        }
        screenPointer = s
        _ = set_term(s)
        raw()
        noecho()
        nonl()
        _ = keypad(ducha_stdscr(), true)
        _ = set_escdelay(NcursesTerminal.escapeDelay)
        _ = curs_set(0)
        useColor = color && has_colors()
        if useColor {
            _ = start_color()
            _ = use_default_colors()
            _ = init_pair(1, Int16(COLOR_RED), -1)
            _ = init_pair(2, Int16(COLOR_YELLOW), -1)
            _ = init_pair(3, Int16(COLOR_GREEN), -1)
            _ = init_pair(5, Int16(COLOR_CYAN), -1)
            _ = init_pair(6, Int16(COLOR_BLUE), -1)
        }
        installSignalHandlers()
        NcursesTerminal.bracketedPaste(true)
    }

    /// Asks the terminal to mark pastes (ESC[200~ … ESC[201~), so that a paste is text for the
    /// box being typed in, never keys; terminals without it ignore the request.
    static func bracketedPaste(_ on: Bool) {
        let request = Array((on ? "\u{1B}[?2004h" : "\u{1B}[?2004l").utf8)
        _ = request.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    public var rows: Int { Int(getmaxy(ducha_stdscr())) }
    public var cols: Int { Int(getmaxx(ducha_stdscr())) }

    /// Gives the terminal back (endwin). Safe to call more than once.
    public func end() {
        NcursesTerminal.bracketedPaste(false)
        if isendwin() == false { endwin() }
        delscreen(screenPointer)
        TerminalRestore.active = false
    }

    /// Leaves curses for a child program ($EDITOR) and comes back.
    public func suspend() {
        _ = def_prog_mode()
        NcursesTerminal.bracketedPaste(false)
        endwin()
    }

    public func resume() {
        _ = reset_prog_mode()
        NcursesTerminal.bracketedPaste(true)
        previous = nil
        _ = clearok(ducha_stdscr(), true)
        refresh()
    }

    /// Ctrl-Z: gives the terminal back to the shell and stops (SIGSTOP) until the shell's `fg`
    /// continues the process; then takes the terminal again and redraws everything. Returns
    /// false, doing nothing, when no job-control shell could ever continue the process (run
    /// by `sh -c`, or directly as the SSH session's command): stopping would hang it.
    public func stopForShell() -> Bool {
        guard NcursesTerminal.underJobControl else { return false }
        suspend()
        kill(getpid(), SIGSTOP)
        reenter()
        return true
    }

    /// Back from a stop: the terminal's mode restored, its size taken afresh, and the next
    /// frame drawn whole (the shell has drawn over the screen meanwhile).
    func reenter() {
        TerminalRestore.continued = 0
        _ = reset_prog_mode()
        NcursesTerminal.bracketedPaste(true)
        followResize()
        previous = nil
        _ = clearok(ducha_stdscr(), true)
    }

    /// A window resized while the process was stopped sent its SIGWINCH to the shell, not
    /// here: ask the terminal its size, and tell curses (which then reports KEY_RESIZE).
    func followResize() {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return }
        if Int(size.ws_row) != rows || Int(size.ws_col) != cols { _ = resizeterm(Int32(size.ws_row), Int32(size.ws_col)) }
    }

    /// Whether a shell with job control started this process in a process group of its own
    /// (in the foreground), and so can continue it after a stop.
    static var underJobControl: Bool {
        let parent = getppid()
        return getpgrp() != getpgid(parent) && getsid(0) == getsid(parent) && tcgetpgrp(0) == getpgrp()
    }

    // MARK: Input

    /// The next event, or nil after `timeout` milliseconds without one.
    public func read(timeout: Int32) -> Event? {
        if TerminalRestore.continued != 0 {
            // Stopped and continued by someone else (kill -STOP, a debugger): the screen may
            // hold anything now.
            reenter()
            return .resize(rows: rows, cols: cols)
        }
        if !pending.isEmpty { return pending.removeFirst() }
        wtimeout(ducha_stdscr(), timeout)
        var ch: wint_t = 0
        let r = wget_wch(ducha_stdscr(), &ch)
        if r == ERR {
            // No key within the timeout — or no terminal any more (the SSH connection dropped,
            // the window closed) while whoever owns it ignored SIGHUP: then stop rather than
            // spin on a dead descriptor.
            if NcursesTerminal.inputHungUp() { TerminalRestore.stop = 1 }
            return nil
        }
        if r == KEY_CODE_YES { return event(forCode: Int32(ch)) }
        if ch == 0x1B { return escape() }
        return NcursesTerminal.key(for: ch).map(Event.key)
    }

    /// A key curses decoded through terminfo.
    func event(forCode code: Int32) -> Event? {
        switch code {
        case KEY_RESIZE: return .resize(rows: rows, cols: cols)
        case KEY_UP, KEY_SR: return .key(.up)
        case KEY_DOWN, KEY_SF: return .key(.down)
        case KEY_LEFT, KEY_SLEFT: return .key(.left)
        case KEY_RIGHT, KEY_SRIGHT: return .key(.right)
        case KEY_HOME, KEY_SHOME, KEY_A1: return .key(.home)
        case KEY_END, KEY_SEND, KEY_LL, KEY_C1: return .key(.end)
        case KEY_PPAGE, KEY_SPREVIOUS, KEY_A3: return .key(.pageUp)
        case KEY_NPAGE, KEY_SNEXT, KEY_C3: return .key(.pageDown)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC, KEY_SDC: return .key(.delete)
        case KEY_IC, KEY_SIC: return .key(.insert)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_F0 + 1...KEY_F0 + 12: return .key(.function(Int(code - KEY_F0)))
        default:
            // Modified keys terminfo lists as extended capabilities: kLFT5, kHOM3, kDC5…
            guard let name = keyname(code).map({ String(cString: $0) }) else { return nil }
            return NcursesTerminal.extendedKey(name).map(Event.key)
        }
    }

    static func extendedKey(_ name: String) -> Key? {
        let table: [(String, Key)] = [
            ("kUP", .up), ("kDN", .down), ("kLFT", .left), ("kRIT", .right), ("kHOM", .home), ("kEND", .end),
            ("kPRV", .pageUp), ("kNXT", .pageDown), ("kDC", .delete), ("kIC", .insert),
        ]
        for (prefix, key) in table where name.hasPrefix(prefix) {
            if name.dropFirst(prefix.count).allSatisfy(\.isNumber) { return key }
        }
        return nil
    }

    /// Curses handed over a bare Esc: it may be the Esc key, or the start of a sequence
    /// terminfo does not list (PuTTY's ESC[1~ under TERM=xterm…). The rest is read here with a
    /// short timeout and decoded; a sequence is never split into Esc plus keys.
    func escape() -> Event? {
        let win = ducha_stdscr()
        var chars: [Unicode.Scalar] = []
        while true {
            wtimeout(win, NcursesTerminal.sequenceTimeout)
            var ch: wint_t = 0
            let r = wget_wch(win, &ch)
            if r == ERR {
                // Nothing more: the Esc key itself. A sequence cut short is dropped whole.
                return chars.isEmpty ? .key(.escape) : nil
            }
            if r == KEY_CODE_YES {
                // A key curses recognised follows the Esc: both are keys.
                if let e = event(forCode: Int32(ch)) { pending.append(e) }
                return chars.isEmpty ? .key(.escape) : nil
            }
            guard let scalar = Unicode.Scalar(ch) else { return .key(.escape) }
            chars.append(scalar)
            switch EscapeSequence.decode(chars) {
            case .key(let key): return key.map(Event.key)
            case .notASequence where scalar == "\u{1B}":
                // Esc twice: the first is the Esc key; the second, given back, may itself
                // start a sequence.
                _ = unget_wch(wchar_t(bitPattern: scalar.value))
                return .key(.escape)
            case .notASequence:
                // Esc and a key together is Alt plus that key, which means nothing here: both
                // are dropped, so Alt-Y never answers 放弃已输入的内容？ nor closes a box.
                return nil
            case .incomplete: continue
            case .pasteStart: return readPaste()
            }
        }
    }

    /// The most of one paste kept (characters beyond are read and dropped).
    static let pasteLimit = 1 << 20

    /// The rest of a bracketed paste, up to ESC[201~: its text, control characters but line
    /// breaks and tabs left out. A paste cut off (nothing more within a second) ends there.
    func readPaste() -> Event? {
        let win = ducha_stdscr()
        var text = String.UnicodeScalarView()
        var count = 0
        var marker: [Unicode.Scalar] = []
        let end: [Unicode.Scalar] = ["\u{1B}"] + EscapeSequence.pasteEnd
        while true {
            wtimeout(win, 1000)
            var ch: wint_t = 0
            let r = wget_wch(win, &ch)
            if r == ERR { break }
            if r == KEY_CODE_YES { continue }
            guard let scalar = Unicode.Scalar(ch) else { continue }
            if scalar == "\u{1B}" || !marker.isEmpty {
                // Inside what may be the end marker (Esc, then [201~); anything else there is
                // dropped with it, as an escape sequence inside a paste is not text.
                marker = scalar == "\u{1B}" ? [scalar] : marker + [scalar]
                if marker == end { break }
                if !end.starts(with: marker) { marker = [] }
                continue
            }
            if scalar.value < 0x20, scalar != "\n", scalar != "\r", scalar != "\t" { continue }
            if scalar.value == 0x7F { continue }
            guard count < NcursesTerminal.pasteLimit else { continue }
            text.append(scalar)
            count += 1
        }
        return .paste(String(text))
    }

    static func inputHungUp() -> Bool {
        var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return false }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// A character from get_wch as a Key: control characters become named keys.
    static func key(for ch: wint_t) -> Key? {
        switch ch {
        case 0x0D, 0x0A: return .enter
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x09: return .tab
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 0x60)))
        default:
            guard let scalar = Unicode.Scalar(ch) else { return nil }
            return .char(Character(scalar))
        }
    }

    // MARK: Output

    public func draw(_ screen: Screen) {
        let win = ducha_stdscr()
        let full = previous == nil || previous!.rows != screen.rows || previous!.cols != screen.cols
        if full { werase(win) }
        for r in 0..<screen.rows {
            if !full, let p = previous, (0..<screen.cols).allSatisfy({ p[r, $0] == screen[r, $0] }) { continue }
            for run in screen.runs(r) {
                _ = wattrset(win, Int32(bitPattern: NcursesTerminal.attributes(run.style, color: useColor)))
                var wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.append(0)
                _ = mvwaddnwstr(win, Int32(r), Int32(run.col), wide, Int32(wide.count - 1))
            }
        }
        _ = wattrset(win, 0)
        if let c = screen.cursor {
            _ = curs_set(1)
            _ = wmove(win, Int32(c.row), Int32(c.col))
        } else {
            _ = curs_set(0)
        }
        wrefresh(win)
        previous = screen
    }

    /// The curses attributes for a style: colour pairs when `color`, otherwise bold, underline
    /// and dim, so red, yellow, green and grey stay distinct on any terminal.
    public static func attributes(_ s: Style, color: Bool) -> attr_t {
        var a = ducha_a_normal()
        if color {
            switch s.color {
            case .red: a |= ducha_color_pair(1)
            case .yellow: a |= ducha_color_pair(2)
            case .green: a |= ducha_color_pair(3)
            case .accent: a |= ducha_color_pair(5)
            case .title: a |= ducha_color_pair(6)
            case .dim: a |= ducha_a_dim()
            case .normal: break
            }
        } else {
            // Without colour, keep the distinctions with attributes.
            switch s.color {
            case .red: a |= ducha_a_bold()
            case .yellow: a |= ducha_a_underline()
            case .dim: a |= ducha_a_dim()
            case .accent: a |= ducha_a_bold()
            case .green, .title, .normal: break
            }
        }
        if s.bold { a |= ducha_a_bold() }
        if s.reverse { a |= ducha_a_reverse() }
        if s.underline { a |= ducha_a_underline() }
        return a
    }

    func installSignalHandlers() {
        TerminalRestore.active = true
        // A parent may have left these blocked; without SIGWINCH there is no KEY_RESIZE.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for sig in [SIGWINCH, SIGTERM, SIGHUP, SIGCONT] { sigaddset(&wanted, sig) }
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
        // A hang-up (SSH dropped) or kill: stop at the next loop turn and restore the terminal.
        signal(SIGTERM) { _ in TerminalRestore.stop = 1 }
        signal(SIGHUP) { _ in TerminalRestore.stop = 1 }
        signal(SIGCONT) { _ in TerminalRestore.continued = 1 }
        // A crash: give the terminal back before dying, so the user's shell is usable.
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { s in
                if TerminalRestore.active {
                    _ = write(1, "\u{1B}[?2004l", 8)
                    endwin()
                }
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }
}

/// Process-wide flags set from signal handlers.
enum TerminalRestore {
    nonisolated(unsafe) static var stop: sig_atomic_t = 0
    nonisolated(unsafe) static var active = false
    /// SIGCONT arrived: the process was stopped and the screen must be drawn afresh.
    nonisolated(unsafe) static var continued: sig_atomic_t = 0
}
