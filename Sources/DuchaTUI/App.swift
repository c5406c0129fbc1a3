import DuchaCore
import DuchaOps
import DuchaStore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the interface: draws frames, reads keys, performs the state's effects against the
/// repository, and polls for other processes' commits so the screen shows them within a
/// second, keeping the selection and anything half typed.
public final class App {
    /// The ledger: a folder's files or a database (the interface does not know which).
    let repository: LedgerStore
    /// The folder, or the database's connection string: what the last visit is kept under.
    let place: String
    let login: String
    /// The OS user id the roster knows the user by (nil: by login).
    let uid: UInt32?
    let calendar: WorkCalendar
    /// Today in the office's time (fixed under --today), for what the screen shows.
    let today: () -> Day
    /// The clock records are written with: the server's (see `RecordClock`).
    let clock: RecordClock
    let workingDirectory: String
    let color: Bool
    /// How often, at least, the files are checked for other processes' commits.
    let pollMilliseconds: Int32 = 500
    /// The state last drawn, to draw again with a note while waiting for another process.
    var drawn: AppState?
    /// The day the 临期/逾期 hooks last looked at the lights (the command line did on opening).
    lazy var lastLightScan: Day = today()
    /// On a database: opens the ledger again reading what an action needs (`.only` the items
    /// it is about) or, for a report, every item's state (`.summary`), freed once it is done.
    /// nil on files, where the interface holds the ledger.
    let reopen: ((Repository.LoadMode) throws(StoreError) -> LedgerStore)?

    /// `repository` is opened `.queries` on a database (its ledger holds no item: the pages ask
    /// for what they show) with `reopen`; on files, `.summary`.
    public init(
        repository: LedgerStore, place: String? = nil, login: String, uid: UInt32? = nil, calendar: WorkCalendar,
        today: @escaping () -> Day, clock: RecordClock, workingDirectory: String, color: Bool,
        reopen: ((Repository.LoadMode) throws(StoreError) -> LedgerStore)? = nil
    ) {
        self.reopen = reopen
        self.repository = repository
        self.place = place ?? (repository as? Repository)?.directory ?? ""
        self.login = login
        self.uid = uid
        self.calendar = calendar
        self.today = today
        self.clock = clock
        self.workingDirectory = workingDirectory
        self.color = color
    }

    /// Runs until the user quits. The terminal is restored however this returns or throws.
    public func run() throws {
        let actor = try repository.ledger.actor(login: login, uid: uid)
        let terminal = try NcursesTerminal(color: color)
        defer { terminal.end() }
        var state = AppState(
            ledger: repository.ledger, actor: actor, today: today(), calendar: calendar, rows: terminal.rows, cols: terminal.cols,
            workingDirectory: workingDirectory)
        state.keepsEvidence = repository is AttachmentStore
        if screenQueries != nil { state.useWindow() }
        if let notice = terminal.localeNotice { state.message = Message(text: notice, isError: false) }
        // Items registered or changed since the user last left are marked 新; what they see on
        // leaving is the next visit's reference.
        let visitPath = LastVisit.path(
            repository: place, stateHome: getenv("XDG_STATE_HOME").flatMap { String(validatingCString: $0) })
        if let last = LastVisit.load(visitPath) {
            if screenQueries == nil {
                state.markNew(last.changed(repository.ledger.visibleItems(to: actor)))
            } else if let marks = repository as? ChangeMarkBatches {
                // A batch of the database's marks at a time, compared as they come.
                var changed = Set<ItemNumber>()
                if (try? marks.forEachChangeMark(for: actor, size: 5000, { changed.formUnion(last.changed($0)) })) != nil {
                    state.markNew(changed)
                }
            } else if let now = seen(by: actor) {
                state.markNew(last.changed(since: now))
            }
        }
        defer { saveVisit(visitPath, actor) }
        var lastPoll = App.milliseconds()
        waitResponsively(terminal)
        defer {
            files?.shouldGiveUpWaiting = nil
            files?.onLockWait = nil
        }
        while !state.quit, TerminalRestore.stop == 0 {
            readScreen(&state)
            loadHistory(&state)
            if state.quit { break }
            drawn = state
            terminal.draw(Renderer.render(state))
            let event = terminal.read(timeout: pollMilliseconds)
            if let event {
                let effects = state.handle(event)
                perform(effects, &state, terminal)
                typeAhead(event, &state, terminal)
            }
            if event == nil || App.milliseconds() - lastPoll >= Int(pollMilliseconds) {
                poll(&state)
                lastPoll = App.milliseconds()
            }
        }
    }

    /// Text that arrived faster than a screen is drawn — a paste into an open box, thousands of
    /// characters at once — is typed in before the box is drawn again: drawing after every
    /// character made a long paste take seconds. Only characters into a box already open are
    /// taken this way; the first other key is handled as usual and ends it.
    func typeAhead(_ first: Event, _ state: inout AppState, _ terminal: NcursesTerminal) {
        guard case .key(.char) = first else { return }
        var taken = 0
        while state.modal != nil, !state.quit, taken < 100_000, let next = terminal.read(timeout: 0) {
            perform(state.handle(next), &state, terminal)
            taken += 1
            guard case .key(.char) = next else { return }
        }
    }

    /// While another process holds the repository's lock, a wait (a commit, reading a
    /// history) says so on the status line after a second and keeps reading keys: q or
    /// Ctrl-C gives the wait up (nothing is written) and quits; a hang-up or kill does too.
    /// The periodic refresh never waits (it skips a turn instead).
    func waitResponsively(_ terminal: NcursesTerminal) {
        guard let files else { return }
        files.onLockWait = { [unowned self] in
            guard var s = self.drawn else { return }
            s.message = Message(text: "正在等待其他用户完成操作……（按 q 放弃并退出）", isError: false)
            terminal.draw(Renderer.render(s))
        }
        files.shouldGiveUpWaiting = {
            if TerminalRestore.stop != 0 { return true }
            while let event = terminal.read(timeout: 0) {
                if event == .key(.char("q")) || event == .key(.ctrl("c")) { return true }
            }
            return TerminalRestore.stop != 0
        }
    }

    /// The repository's files, when the ledger is kept in a folder.
    var files: Repository? { repository as? Repository }

    /// The store's queries, when the pages are read from them as they are shown (a database
    /// opened for queries: its ledger holds no item).
    var screenQueries: ScreenQueries? {
        guard reopen != nil, repository.ledger.partial else { return nil }
        return repository as? ScreenQueries
    }

    /// Writes what the user sees now for their next visit: on a database, written a batch of
    /// the marks at a time (nothing when they cannot be read).
    func saveVisit(_ path: String, _ actor: Actor) {
        guard screenQueries != nil, let marks = repository as? ChangeMarkBatches else {
            seen(by: actor)?.save(path)
            return
        }
        var bytes: [UInt8] = []
        let read: ()? = try? marks.forEachChangeMark(for: actor, size: 5000) { batch in
            for m in batch { bytes += LastVisit.line(m.number, m.mark).utf8 }
        }
        if read != nil { LastVisit.save(bytes, to: path) }
    }

    /// What the user sees now, for their next visit (nil: it could not be read).
    func seen(by actor: Actor) -> LastVisit? {
        guard let queries = screenQueries else { return LastVisit(items: repository.ledger.visibleItems(to: actor)) }
        return (try? queries.changeMarks(for: actor)).map { LastVisit(seen: $0) }
    }

    /// The ledger as it is now: on a database, with what this interface's own action just
    /// committed through another connection, before the server's notification comes.
    var ledgerNow: Ledger {
        if let queries = screenQueries { _ = try? queries.refreshNow() }
        return repository.ledger
    }

    /// The store an action runs on: on a database, one reading just the items it is about
    /// (their families with them), or, for a report, every item's state.
    func store(for mode: Repository.LoadMode) throws(StoreError) -> LedgerStore {
        guard let reopen, screenQueries != nil else { return repository }
        return try reopen(mode)
    }

    /// The load mode for running `operations`: the items they name (as the command line reads
    /// them, each with its family), a new item's parent.
    func mode(for operations: [Operation], _ state: AppState) -> Repository.LoadMode {
        if operations.contains(where: \.needsWholeLedger) { return .summary }
        var refs = operations.compactMap(\.item)
        for case .register(let input) in operations { refs += input.parent.map { [$0] } ?? [] }
        let numbers = Set(refs.map { ItemNumber(prefix: "", year: $0.year ?? state.today.year, serial: $0.serial) })
        return .only(numbers.sorted())
    }

    /// Reads what the pages of an interface on a database need before they are drawn.
    func readScreen(_ state: inout AppState) {
        guard let queries = screenQueries else { return }
        let reader = ScreenReader(queries: queries) {
            [unowned self] (grouping, evaluator, actor) throws(StoreError) -> Statistics in
            // The states are read a batch at a time and folded (`StateBatches`), in one snapshot.
            var fold = Statistics.Accumulator(
                seenBy: actor, ledger: self.repository.ledger, evaluator: evaluator, by: grouping)
            try self.repository.forEachVisibleBatch(actor) { fold.add($0) }
            return fold.statistics()
        }
        do { try reader.read(&state) } catch {
            if gaveUp(error, &state) { return }
            state.commitFailed("读取台账失败：\(error.message)")
        }
    }

    /// A wait for the lock given up by the user: leave, as they asked.
    func gaveUp(_ error: Error, _ state: inout AppState) -> Bool {
        guard let e = error as? StoreError, case .lockAbandoned = e else { return false }
        state.quit = true
        return true
    }

    /// Reads the history of the item the detail page shows, when the ledger holds its state only.
    func loadHistory(_ state: inout AppState) {
        guard let n = state.missingHistory else { return }
        do {
            if let entries = try repository.history(of: n) {
                if entries.count == repository.ledger.item(n)?.eventCount, repository.ledger.seq != state.ledger.seq {
                    state.ledgerChanged(repository.ledger, today: state.today)
                }
                state.historyLoaded(n, entries)
            }
        } catch {
            if gaveUp(error, &state) { return }
            state.commitFailed("读取办理记录失败：\(error.message)")
        }
    }

    func poll(_ state: inout AppState) {
        let day = today()
        do {
            let changed = try repository.refresh()
            if changed || day != state.today { state.ledgerChanged(repository.ledger, today: day) }
            // A new day: lights that turned yellow or red are notified (once each, see Hooks).
            if day != lastLightScan {
                lastLightScan = day
                let notes = operations(state).notifyLights()
                if !notes.isEmpty { state.message = Message(text: notes.joined(separator: "；"), isError: true) }
            }
        } catch {
            state.commitFailed("读取台账失败：\(error)")
        }
    }

    /// The operations layer for the user, on the day the screen shows.
    func operations(_ state: AppState, on store: LedgerStore? = nil) -> Operations {
        Operations(store: store ?? repository, login: login, uid: uid, clock: clock, calendar: calendar, today: state.today)
    }

    func perform(_ effects: [Effect], _ state: inout AppState, _ terminal: NcursesTerminal) {
        var done: [String] = []
        for effect in effects {
            switch effect {
            case .perform, .attachFile:
                do {
                    let operation = try operation(effect)
                    let store = try store(for: mode(for: [operation], state))
                    let known = store.warnings.count
                    let outcome = try operations(state, on: store).run(operation)
                    var text = outcome.summary
                    for w in store.warnings.dropFirst(known) + outcome.notes { text += "（注意：\(w)）" }
                    done.append(text)
                } catch {
                    if gaveUp(error, &state) { return }
                    if !done.isEmpty { state.ledgerChanged(repository.ledger, today: state.today) }
                    state.commitFailed(error.message)
                    return
                }
            case .performBatch(let operations, let verb):
                runBatch(operations, verb: verb, &state)
                return
            case .exportNotice, .exportReminders, .exportLedger, .exportMarked, .exportProgress:
                export(effect, &state, overwrite: false)
                return
            case .overwriting(let export):
                self.export(export, &state, overwrite: true)
                return
            case .openEditor(let text):
                terminal.suspend()
                let result = ExternalEditor.edit(text)
                terminal.resume()
                switch result {
                case .success(let edited): state.editorFinished(edited)
                case .failure(let failure): state.message = Message(text: failure.message, isError: true)
                }
            case .quit:
                return
            case .suspend:
                if terminal.stopForShell() {
                    // The window may have changed size meanwhile: lay out for the size it has now.
                    _ = state.handle(.resize(rows: terminal.rows, cols: terminal.cols))
                } else {
                    state.message = Message(text: "此处无法挂起（不是从支持作业控制的 shell 启动的）：请用 q 退出", isError: true)
                }
            }
        }
        if !done.isEmpty { state.commitSucceeded(done.joined(separator: "；"), ledger: ledgerNow) }
    }

    /// The operation an effect asks for; a file given as 佐证材料 is read here, with the user's
    /// own rights (never through a link, never from a pipe or a device, within the size limit).
    func operation(_ effect: Effect) throws(StoreError) -> Operation {
        switch effect {
        case .attachFile(let n, let path, let note):
            let bytes = try UserRights.perform { () throws(StoreError) in try AttachmentFiles.read(path) }
            return .attach(AppState.ref(n), [AttachedFile(name: path, bytes: bytes)], note: note)
        case .perform(let operation): return operation
        default: throw .refused(.inconsistent("不是记录操作"))
        }
    }

    /// Runs a batch one operation at a time through the operations layer, each judged on its own:
    /// a refusal is noted and the next one runs.
    func runBatch(_ operations: [Operation], verb: String, _ state: inout AppState) {
        var done: [String] = []
        var refused: [(number: String, reason: String)] = []
        var notes: [String] = []
        let store: LedgerStore
        do { store = try self.store(for: mode(for: operations, state)) } catch {
            if gaveUp(error, &state) { return }
            state.commitFailed(error.message)
            return
        }
        for operation in operations {
            // Short numbers (2026-0028) and the reason alone: the status line is one line.
            let number =
                operation.item.map { r in
                    ListView.number(ItemNumber(prefix: "", year: r.year ?? 0, serial: r.serial, sub: r.sub), wide: false)
                } ?? ""
            do {
                let outcome = try self.operations(state, on: store).run(operation)
                done.append(outcome.item?.description ?? number)
                notes += outcome.notes
            } catch {
                if gaveUp(error, &state) { return }
                let reason = error.message
                let full = operation.item?.text ?? ""
                let short = reason.firstRange(of: full + "：").map { String(reason[$0.upperBound...]) } ?? reason
                refused.append((number, short))
            }
        }
        state.batchFinished(verb: verb, done: done, refused: refused, ledger: ledgerNow)
        if !notes.isEmpty, var m = state.message { m.text += "（注意：\(notes.joined(separator: "；"))）"; state.message = m }
    }

    /// Writes an export; refusals and file errors come back as the status line's message. A
    /// file already at the path is replaced only when `overwrite` (the user said yes to
    /// 文件已存在，覆盖吗？); a folder of 催办通知 may hold last time's, which are replaced.
    func export(_ effect: Effect, _ state: inout AppState, overwrite: Bool) {
        if !overwrite {
            var file: String?
            switch effect {
            case .exportNotice(let path, _, _), .exportLedger(let path), .exportReminders(let path, .some),
                .exportMarked(let path, _), .exportProgress(let path, _):
                file = path
            default: file = nil
            }
            if let file, UserRights.perform({ UserPath.exists(file) }) {
                state.exportWouldOverwrite(effect, path: file)
                return
            }
        }
        do {
            // On a database the overdue notice's lists and counts are asked of it (`ItemQueries`, as
            // `ducha export overdue` does), reminders and 落实情况通报 read the states a batch at a
            // time (`StateBatches`), both on this connection; for the ledger every item's state is
            // read, and freed afterwards.
            let batched: Bool
            switch effect {
            case .exportNotice, .exportReminders, .exportProgress: batched = true
            default: batched = false
            }
            let store = batched ? repository : try store(for: .summary)
            let ops = operations(state, on: store)
            let settings = store.ledger.settings
            let width = settings.noticeWidth
            // The format the file name asks for (.docx Word 公文, .xlsx Excel, .csv, .json; text).
            var format = PaperFormat.text
            switch effect {
            case .exportNotice(let path, _, _), .exportReminders(let path, _), .exportLedger(let path),
                .exportMarked(let path, _), .exportProgress(let path, _):
                // Never into the repository folder, before anything is recorded.
                if let files { try AtomicFile.checkOutside(path, repository: files.directory) }
                format = PaperFormat.of(path: path)
            default: break
            }
            switch effect {
            case .exportNotice(let path, let issue, let dueSoon):
                if issue { try UserRights.perform { () throws(StoreError) in try AtomicFile.checkWritable(path) } }
                // An issued notice's number is recorded only once its file can be made.
                var notice = try ops.overdueNotice(issue: false, dueSoon: dueSoon)
                var bytes = try Rendition.overdue(notice, as: format, settings: settings)
                if issue {
                    notice = try ops.overdueNotice(issue: true, dueSoon: dueSoon)
                    bytes = try Rendition.overdue(notice, as: format, settings: store.ledger.settings)
                }
                try UserRights.perform { () throws(StoreError) in try AtomicFile.write(bytes, to: path) }
                state.exportFinished("逾期事项通报\(notice.serialText)", path: path, ledger: ledgerNow)
            case .exportReminders(let path, let unit):
                let notices = try ops.reminderNotices(unit: unit)
                if let unit {
                    guard let notice = notices.first else {
                        state.exportFailed("\(unit) 没有逾期、临期或未按期签收、反馈的事项，无需催办")
                        return
                    }
                    let bytes = try Rendition.reminder(notice, as: format, settings: settings)
                    try UserRights.perform { () throws(StoreError) in try AtomicFile.write(bytes, to: path) }
                    state.exportFinished("\(unit)的催办通知（\(notice.entries.count)件）", path: path, ledger: ledgerNow)
                } else {
                    guard !notices.isEmpty else {
                        state.exportFailed("没有需要催办的单位")
                        return
                    }
                    if !overwrite,
                        let there = notices.map({ path + "/" + $0.fileName }).first(where: { p in
                            UserRights.perform { UserPath.exists(p) }
                        })
                    {
                        state.exportWouldOverwrite(effect, path: there)
                        return
                    }
                    try UserRights.perform { () throws(StoreError) in
                        try AtomicFile.makeOutputDirectory(path)
                        for n in notices {
                            try AtomicFile.write(Array(n.text(width: width).utf8), to: path + "/" + n.fileName)
                        }
                    }
                    state.exportFinished("\(notices.count)份催办通知", path: path, ledger: ledgerNow)
                }
            case .exportProgress(let path, let basis):
                let notice = try ops.progressNotice(basis: basis, issue: false)
                let bytes = try Rendition.progress(notice, as: format, settings: settings)
                try UserRights.perform { () throws(StoreError) in try AtomicFile.write(bytes, to: path) }
                state.exportFinished("落实情况通报\(notice.serialText)", path: path, ledger: ledgerNow)
            case .exportLedger(let path):
                let items = try ops.ledgerItems()
                let bytes = try Rendition.ledger(items, ops.evaluator, as: format)
                try UserRights.perform { () throws(StoreError) in try AtomicFile.write(bytes, to: path) }
                state.exportFinished("台账（\(items.count)件）", path: path, ledger: ledgerNow)
            case .exportMarked(let path, let numbers):
                // Through the operations layer: only what the user may see.
                let wanted = Set(numbers)
                let items = try ops.ledgerItems().filter { wanted.contains($0.number) }
                let bytes = try Rendition.ledger(items, ops.evaluator, as: format)
                try UserRights.perform { () throws(StoreError) in try AtomicFile.write(bytes, to: path) }
                state.exportFinished("已标记的事项（\(items.count)件）", path: path, ledger: ledgerNow)
            default:
                return
            }
        } catch let e as StoreError {
            if gaveUp(e, &state) { return }
            state.exportFailed(e.message)
        } catch let e as CoreError {
            state.exportFailed(e.message)
        } catch {
            state.exportFailed("\(error)")
        }
    }

    static func milliseconds() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return t.tv_sec * 1000 + t.tv_nsec / 1_000_000
    }
}

/// Long text written in the user's $VISUAL or $EDITOR. In a setuid run the editor is the
/// user's program working for the user: the temporary file is made and read back with the
/// user's own rights, and the child gives up the service account for good before it runs
/// the editor, so nothing it does can reach the repository.
enum ExternalEditor {
    /// Why the text could not be edited, for the status line.
    struct Failure: Error {
        let message: String
    }

    /// The edited text, or what failed (the editor missing or not runnable, its exit status,
    /// the text not readable back).
    static func edit(_ text: String) -> Result<String, Failure> {
        UserRights.perform { () -> Result<String, Failure> in
            var template = Array("/tmp/ducha-XXXXXX.txt".utf8CString)
            let fd = mkstemps(&template, 4)
            guard fd >= 0 else { return .failure(Failure(message: "无法建立临时文件交给编辑器：\(String(cString: strerror(errno)))")) }
            let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            defer { unlink(path) }
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            if let failure = run(path) { return .failure(failure) }
            guard let out = try? DataDirectory.readGiven(path) else {
                return .failure(Failure(message: "编辑器退出后读不到临时文件 \(path)，文字未改动"))
            }
            guard let s = String(validating: out, as: UTF8.self) else {
                return .failure(Failure(message: "编辑后的文字不是 UTF-8 编码，未采用"))
            }
            return .success(s)
        }
    }

    /// The editor's command: `$VISUAL`, else `$EDITOR`, else vi.
    static var command: String {
        [getenv("VISUAL"), getenv("EDITOR")].compactMap { $0.map { String(cString: $0) } }.first { !$0.isEmpty } ?? "vi"
    }

    /// Runs the editor through /bin/sh on `path` (the command split as the shell splits it, so
    /// `code --wait` works); nil when it exited with status 0, else what went wrong.
    static func run(_ path: String) -> Failure? {
        let editor = command
        let shown = editor.sanitized().truncated(toWidth: 30)
        // Everything the child needs is made before fork: after it, only system calls. The
        // shell finds the program first and says nothing itself (its own message is English,
        // and would be left on the terminal behind the interface): 127 not found, 126 not
        // executable, which the status line says in Chinese.
        let script =
            "f=$1; set -- \(editor); p=$(command -v \"$1\" 2>/dev/null) || exit 127; "
            + "case $p in */*) [ -x \"$p\" ] && [ ! -d \"$p\" ] || exit 126 ;; esac; exec \"$@\" \"$f\""
        let argv = ["/bin/sh", "-c", script, "sh", path]
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        let pid = fork()
        if pid == 0 {
            // The child: the user's own uid as real, effective and saved uid, or no editor at all.
            if !UserRights.dropForGood() { _exit(125) }
            if let shell = cargs[0] { execv(shell, &cargs) }
            _exit(124)
        }
        guard pid > 0 else { return Failure(message: "无法启动编辑器 \(shown)：\(String(cString: strerror(errno)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let signal = status & 0x7f
        let code = (status >> 8) & 0xff
        if signal != 0 { return Failure(message: "编辑器 \(shown) 被信号 \(signal) 终止，文字未改动") }
        switch code {
        case 0: return nil
        case 127: return Failure(message: "找不到编辑器 \(shown)（请检查环境变量 EDITOR 或 VISUAL），文字未改动")
        case 126: return Failure(message: "编辑器 \(shown) 无法执行（没有执行权限？），文字未改动")
        case 125: return Failure(message: "无法以您自己的身份启动编辑器，文字未改动")
        case 124: return Failure(message: "无法启动 /bin/sh 来运行编辑器，文字未改动")
        default: return Failure(message: "编辑器 \(shown) 以状态 \(code) 退出，文字未改动")
        }
    }
}
