import DuchaCore
import DuchaStore
import PostgresNIO

/// Lists, counts and searches answered by the database (issue #16, reads that scale): a reader
/// holds the rows it shows, not the ledger.
///
/// Each row of `items` carries, beside its state, the columns a list selects by, written in the
/// commit's transaction with the state (`upsert`): the state it shows (a 分别办理 item's is its
/// parts'), source, basis, the text search looks through (`SearchIndex.text`: every word must
/// appear, as `strpos`), whether it is a part, and the days its light changes
/// (`LightThresholds`), so that the light on any day is a comparison of dates (`lightSQL`).
/// Those days depend on the calendar and the settings: `ducha_meta` records what they were
/// counted with (`LightThresholds.fingerprint`), and whoever finds it different — a reader with
/// another calendar, a commit that changed the settings — counts them all again under the
/// commit lock (`ensureLights`).
///
/// Search: pg_trgm is not used. Chinese words are mostly two characters (城关, 财政), which have
/// no trigram, and with the C locale the test servers (and many installations) use pg_trgm
/// ignores CJK characters altogether. Each row keeps its search text's grams instead
/// (`SearchIndex.grams`: every character and pair of adjacent characters) in a GIN index,
/// computed here beside the text rather than by an SQL function: the query's grams and the
/// rows' are counted by the same code, and a migration or recount runs no per-character SQL.
/// A word of one character must be among a row's grams, a longer word all its pairs;
/// `strpos` then checks the word exactly. The rows come from `ducha_search`, a function run as
/// the tables' owner that applies the row-level security policy itself: under the policy the
/// planner uses no index for `@>` (not leakproof), see `PostgresSchema.searchGrams`. At
/// 100,000 items (debug build, measured as ducha's role): counting the rows of 城关 0.02–0.03 s
/// instead of 0.07–0.10 s (a parallel scan of every row), 交通路 (none) 0.002 s instead of
/// 0.06 s; a word of one common character is slower (交, in 40% of the items: 0.3–0.4 s against
/// 0.17–0.21 s for the parallel scan). The interface's search keystroke: 0.08–0.16 s instead of 0.21–0.50 s. The grams cost
/// 138 MB of the 484 MB a freshly migrated 100,000-item database takes (346 MB before).
extension PostgresStore {
    // MARK: The columns

    /// The calendar a commit counts the lights' days with: this process's (`calendar`, set by
    /// whoever opened the store) with the tables the ledger recorded over it.
    func lightsCalendar(_ ledger: Ledger) -> WorkCalendar {
        var tables = calendar?.tables ?? [:]
        for (year, t) in ledger.calendars { tables[year] = t }
        return WorkCalendar(tables: Array(tables.values))
    }

    /// Writes items' states and their query columns (new rows or replaced ones); `ledger` holds
    /// them with their families (a 分别办理 item shows its parts' state).
    static func upsert(
        _ items: [Item], seqs: [Int], in ledger: Ledger, calendar: WorkCalendar, settings: Settings,
        _ session: PostgresSession
    ) throws(StoreError) {
        guard !items.isEmpty else { return }
        var years: [Int] = []
        var serials: [Int] = []
        var subs: [Int] = []
        var numbers: [String] = []
        var states: [String] = []
        var shown: [String] = []
        var leads: [String] = []
        var cos: [String] = []
        var deadlines: [String] = []
        var lines: [String] = []
        var sources: [String] = []
        var basisNames: [String] = []
        var basisNumbers: [String] = []
        var basisLabels: [String] = []
        var searches: [String] = []
        var grams: [String] = []
        var parts: [Bool] = []
        var closedOn: [String] = []
        var fixed: [String] = []
        var late: [Int] = []
        var yellow: [String] = []
        var red: [String] = []
        var sign: [String] = []
        var feedback: [String] = []
        for item in items {
            years.append(item.number.year)
            serials.append(item.number.serial)
            subs.append(item.number.sub)
            numbers.append(item.number.description)
            states.append(item.state.rawValue)
            shown.append(ledger.shownState(item).rawValue)
            leads.append(item.leadUnit)
            var w = JSONWriter(capacity: 64)
            w.beginArray()
            for c in item.coUnits { w.value(c) }
            w.endArray()
            cos.append(w.string)
            deadlines.append(item.deadline.description)
            var s = JSONWriter(capacity: 1024)
            ItemStateCodec.encode(item, into: &s)
            lines.append(s.string)
            sources.append(item.source)
            let basis = item.basisInfo
            basisNames.append(basis?.name ?? "\u{1}")
            basisNumbers.append(basis?.number ?? "")
            basisLabels.append(basis?.label ?? "\u{1}")
            let text = SearchIndex.text(of: item)
            searches.append(text)
            // Joined by the field separator, which no gram holds.
            grams.append(SearchIndex.grams(of: text).joined(separator: "\u{1}"))
            parts.append(item.isPart)
            closedOn.append(item.closedOn?.description ?? "")
            let t = LightThresholds(item.statusFacts, calendar: calendar, settings: settings)
            fixed.append(t.fixed?.rawValue ?? "")
            late.append(t.lateDays ?? -1)
            yellow.append(t.yellowFrom?.description ?? "")
            red.append(t.redFrom?.description ?? "")
            sign.append(t.signOverdueFrom?.description ?? "")
            feedback.append(t.feedbackOverdueFrom?.description ?? "")
        }
        try session.query(
            """
            INSERT INTO items (
                year, serial, sub, number, state, lead_unit, co_units, deadline, seq, state_line, shown_state, source, basis_name,
                basis_number, basis_label, search, is_part, closed_on, fixed_light, late_days, yellow_from, red_from,
                sign_overdue_from, feedback_overdue_from, grams)
            SELECT y, s, k, n, st, l, ARRAY(SELECT jsonb_array_elements_text(c::jsonb)), d::date, q, j, sh, so,
                   NULLIF(bn, E'\\x01'), bno, NULLIF(bl, E'\\x01'), se, ip, NULLIF(co, '')::date, NULLIF(fl, ''),
                   NULLIF(la, -1), NULLIF(ye, '')::date, NULLIF(re, '')::date, NULLIF(si, '')::date, NULLIF(fe, '')::date,
                   string_to_array(g, E'\\x01')
            FROM unnest(\(years)::integer[], \(serials)::integer[], \(subs)::integer[], \(numbers)::text[], \(states)::text[],
                        \(leads)::text[], \(cos)::text[], \(deadlines)::text[], \(seqs)::bigint[], \(lines)::text[],
                        \(shown)::text[], \(sources)::text[], \(basisNames)::text[], \(basisNumbers)::text[],
                        \(basisLabels)::text[], \(searches)::text[], \(parts)::boolean[], \(closedOn)::text[], \(fixed)::text[],
                        \(late)::integer[], \(yellow)::text[], \(red)::text[], \(sign)::text[], \(feedback)::text[], \(grams)::text[])
                AS t(y, s, k, n, st, l, c, d, q, j, sh, so, bn, bno, bl, se, ip, co, fl, la, ye, re, si, fe, g)
            ON CONFLICT (year, serial, sub) DO UPDATE SET
                number = EXCLUDED.number, state = EXCLUDED.state, lead_unit = EXCLUDED.lead_unit,
                co_units = EXCLUDED.co_units, deadline = EXCLUDED.deadline, seq = EXCLUDED.seq,
                state_line = EXCLUDED.state_line, shown_state = EXCLUDED.shown_state, source = EXCLUDED.source,
                basis_name = EXCLUDED.basis_name, basis_number = EXCLUDED.basis_number, basis_label = EXCLUDED.basis_label,
                search = EXCLUDED.search, is_part = EXCLUDED.is_part, closed_on = EXCLUDED.closed_on,
                fixed_light = EXCLUDED.fixed_light, late_days = EXCLUDED.late_days, yellow_from = EXCLUDED.yellow_from,
                red_from = EXCLUDED.red_from, sign_overdue_from = EXCLUDED.sign_overdue_from,
                feedback_overdue_from = EXCLUDED.feedback_overdue_from, grams = EXCLUDED.grams
            """, "保存事项状态")
    }

    /// Writes the whole ledger's items in pieces (migration) and records what their lights'
    /// days were counted with.
    static func upsertAll(_ ledger: Ledger, calendar: WorkCalendar, _ session: PostgresSession) throws(StoreError) {
        var start = 0
        while start < ledger.items.count {
            let end = min(ledger.items.count, start + 2000)
            let chunk = Array(ledger.items[start..<end])
            try upsert(
                chunk, seqs: Array(repeating: ledger.seq, count: chunk.count), in: ledger, calendar: calendar,
                settings: ledger.settings, session)
            start = end
        }
        try recordLights(LightThresholds.fingerprint(calendar: calendar, settings: ledger.settings), session)
    }

    static func recordLights(_ fingerprint: String, _ session: PostgresSession) throws(StoreError) {
        try session.query(
            """
            INSERT INTO ducha_meta (key, value) VALUES (\(PostgresSchema.lightsKey), \(fingerprint))
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
            """, "记录亮灯日期的计算依据")
    }

    static func recordedLights(_ session: PostgresSession) throws(StoreError) -> String? {
        let rows = try session.query(
            "SELECT value FROM ducha_meta WHERE key = \(PostgresSchema.lightsKey)", "读取亮灯日期的计算依据")
        guard let row = rows.rows.first else { return nil }
        do { return try row.decode(String.self) } catch { throw .database("读取亮灯日期的计算依据失败：数据库中的格式不对") }
    }

    /// Counts every item's query columns again with `calendar` and `settings` (the caller holds
    /// the commit lock in a transaction), family by family, a few thousand rows at a time: the
    /// reader doing it never holds the whole ledger.
    static func recomputeAll(calendar: WorkCalendar, settings: Settings, _ session: PostgresSession) throws(StoreError) {
        try setActor(role: .supervisor, unit: nil, session)
        var after = (year: Int.min, serial: Int.min)
        while true {
            let rows = try session.query(
                """
                SELECT number, state_line, seq FROM items
                WHERE (year, serial) IN (
                    SELECT year, serial FROM items WHERE sub = 0 AND (year, serial) > (\(after.year), \(after.serial))
                    ORDER BY year, serial LIMIT 2000)
                ORDER BY year, serial, sub
                """, "重算事项的亮灯日期")
            var items: [Item] = []
            var seqs: [ItemNumber: Int] = [:]
            for row in rows.rows {
                let (number, line, seq): (String, String, Int)
                do { (number, line, seq) = try row.decode((String, String, Int).self) } catch {
                    throw .database("读取事项状态失败：数据库中的事项格式不对")
                }
                let item = try decodeItem(number, line)
                seqs[item.number] = seq
                items.append(item)
            }
            guard let last = items.last else { break }
            after = (last.number.year, last.number.serial)
            var family = Ledger()
            do throws(CoreError) { try family.restore(items: items) } catch { throw .database("数据库中的事项有误：\(error.message)") }
            try upsert(
                family.items, seqs: family.items.map { seqs[$0.number] ?? 0 }, in: family, calendar: calendar, settings: settings,
                session)
        }
        try recordLights(LightThresholds.fingerprint(calendar: calendar, settings: settings), session)
    }

    /// Makes sure the lights' days were counted with `calendar` and the ledger's settings;
    /// counts them all again (under the commit lock) when not. Nothing when they were.
    func ensureLights(calendar: WorkCalendar) throws(StoreError) {
        let fingerprint = LightThresholds.fingerprint(calendar: calendar, settings: ledger.settings)
        guard try PostgresStore.recordedLights(session) != fingerprint else { return }
        try session.transaction("重算事项的亮灯日期") { () throws(StoreError) in
            try session.execute("SET LOCAL lock_timeout = '\(max(1, Int(lockTimeout * 1000)))ms'", "重算事项的亮灯日期")
            try session.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.commitLock))", "等待其他用户完成操作")
            guard try PostgresStore.recordedLights(session) != fingerprint else { return }
            try PostgresStore.recomputeAll(calendar: calendar, settings: ledger.settings, session)
        }
    }

    /// Items from rows of (number, state line).
    static func decodeItems(_ result: PostgresQueryResult) throws(StoreError) -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(result.rows.count)
        for row in result.rows {
            let (number, line): (String, String)
            do { (number, line) = try row.decode((String, String).self) } catch {
                throw .database("读取事项状态失败：数据库中的事项格式不对")
            }
            items.append(try decodeItem(number, line))
        }
        return items
    }

    static func decodeItem(_ number: String, _ line: String) throws(StoreError) -> Item {
        guard let n = ItemNumber.parseFull(number) else { throw .database("数据库中的事项编号 \(number) 无法识别") }
        do throws(JSONError) {
            return try JSONReader.read(Array(line.utf8)) { (r: inout JSONReader) throws(JSONError) -> Item in
                let item = try ItemStateCodec.decode(&r, number: n)
                try r.expectEnd()
                return item
            }
        } catch {
            throw .database("数据库中 \(number) 的状态无法读取：\(error.message)")
        }
    }
}

// MARK: Queries

/// An SQL statement being built, with its parameters.
struct SQLText {
    var sql = ""
    var binds = PostgresBindings()

    /// A parameter's placeholder.
    mutating func bind(_ value: String) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind(_ value: [String]) -> String {
        binds.append(value)
        return "$\(binds.count)::text[]"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

extension PostgresStore: ItemQueries {
    /// The light on `today`, as `LightThresholds.light(on:)` says.
    static func lightSQL(_ today: Day) -> String {
        let d = "DATE '\(today)'"
        return """
            (CASE WHEN fixed_light IS NOT NULL THEN fixed_light WHEN red_from <= \(d) THEN 'red' \
            WHEN yellow_from <= \(d) THEN 'yellow' ELSE 'green' END)
            """
    }

    /// Whether the light on `today` is `light`, written so that the indexes on the days lights
    /// change serve it (the same as `lightSQL(today) = light`).
    static func lightIs(_ light: Light, _ today: Day) -> String {
        let d = "DATE '\(today)'"
        let notRed = "(red_from IS NULL OR red_from > \(d))"
        switch light {
        case .red: return "(fixed_light IS NULL AND red_from <= \(d))"
        case .yellow: return "(fixed_light IS NULL AND yellow_from <= \(d) AND \(notRed))"
        case .green:
            return
                "(fixed_light = 'green' OR (fixed_light IS NULL AND \(notRed) AND (yellow_from IS NULL OR yellow_from > \(d))))"
        case .closedOnTime, .closedLate, .none: return "fixed_light = '\(light.rawValue)'"
        }
    }

    /// Whether an item's extension request or 退办 awaits a decision: kept in its state line only,
    /// found as a key there without parsing the line (in a JSON string a quote is escaped, so
    /// `"extension":{` is never part of a value).
    static func awaitsExtension(_ row: String = "") -> String {
        "strpos(\(row.isEmpty ? "" : row + ".")state_line, '\"extension\":{') > 0"
    }
    static let awaitsDecline = "strpos(state_line, '\"declined\":') > 0"

    /// The conditions of `query` for `actor` on `today` (nil: nothing can match), on the rows
    /// of `items` or, `searched`, on those `ducha_search` found (its search and the extension
    /// awaiting a decision checked).
    static func conditions(
        _ query: ItemQuery, for actor: Actor, today: Day, searched: Bool = false, into s: inout SQLText
    )
        -> [String]?
    {
        let d = "DATE '\(today)'"
        var c: [String] = []
        func involves(_ unit: String, _ s: inout SQLText) -> String {
            let u = s.bind(unit)
            return "(lead_unit = \(u) OR \(u) = ANY (co_units))"
        }
        if actor.role == .unit {
            guard let unit = actor.unit else { return nil }
            c.append(involves(unit, &s))
        }
        switch query.scope {
        case .all: break
        case .open:
            c.append("shown_state IN (\(ItemState.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
        case .closed: c.append("shown_state = 'closed'")
        case .overdue: c.append(lightIs(.red, today))
        case .dueSoon: c.append(lightIs(.yellow, today))
        }
        if let unit = query.unit { c.append(involves(unit, &s)) }
        switch query.mark {
        case .signOverdue?: c.append("sign_overdue_from <= \(d)")
        case .feedbackOverdue?: c.append("feedback_overdue_from <= \(d)")
        case nil: break
        }
        if let source = query.source { c.append("source = \(s.bind(source))") }
        // The request is kept in the item's state only.
        if query.extensionPending, !searched { c.append(awaitsExtension()) }
        if let basis = query.basis {
            if query.basisExact {
                c.append("basis_label = \(s.bind(basis))")
            } else {
                // `Basis.matches`: its label as a whole, or a part of its name or 文号.
                let t = basis.trimmingSpaces
                guard !t.isEmpty else { return nil }
                let p = s.bind(t)
                c.append("(basis_label = \(p) OR strpos(basis_name, \(p)) > 0 OR strpos(basis_number, \(p)) > 0)")
            }
        }
        if let state = query.state { c.append("shown_state = \(s.bind(state.rawValue))") }
        if let l = query.light {
            // 结 covers both kinds of closure.
            c.append(l == .closedOnTime ? "fixed_light IN ('closedOnTime', 'closedLate')" : lightIs(l, today))
        }
        if !searched, !query.search.isEmpty {
            for w in SearchIndex.words(query.search) {
                c.append("strpos(search, \(s.bind(String(decoding: w, as: UTF8.self)))) > 0")
            }
        }
        return c
    }

    /// The matching rows ranked in the query's order, each child under its listed parent
    /// (`ItemQuery.childrenUnderParents`): a statement defining `ranked` (year, serial, sub, number,
    /// light, pos) to select from.
    static func ranked(_ query: ItemQuery, for actor: Actor, today: Day, into s: inout SQLText) -> Bool {
        guard matching(query, for: actor, today: today, into: &s) else { return false }
        let order: String
        switch query.order {
        case .urgency:
            order = """
                CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 WHEN 'closedLate' THEN 3 \
                WHEN 'closedOnTime' THEN 4 ELSE 5 END, \
                CASE light WHEN 'red' THEN DATE '\(today)' - deadline WHEN 'closedLate' THEN late_days ELSE 0 END DESC, \
                deadline, year, serial, sub
                """
        case .deadline: order = "deadline, year, serial, sub"
        case .number: order = "year, serial, sub"
        case .unit: order = "lead_unit COLLATE \"C\", deadline, year, serial, sub"
        }
        s.sql += """
            ,
            r AS (
                SELECT m.*, row_number() OVER (ORDER BY \(order)) AS rn,
                       m.sub > 0 AND bool_or(m.sub = 0) OVER (PARTITION BY m.year, m.serial) AS joined
                FROM m),
            g AS (
                SELECT r.*, min(rn) OVER (PARTITION BY year, serial, CASE WHEN sub = 0 OR joined THEN 0 ELSE sub END) AS grank
                FROM r),
            ranked AS (SELECT year, serial, sub, number, row_number() OVER (ORDER BY grank, joined, sub) - 1 AS pos FROM g)

            """
        return true
    }

    /// The matching rows, unordered: a statement defining `m` (year, serial, sub, number,
    /// is_part, deadline, lead_unit, late_days, light).
    ///
    /// A search goes through the index of grams (`PostgresSchema.searchGrams`): the rows holding
    /// every word's grams (a word of one character: itself; longer: its pairs), which `strpos`
    /// then checks exactly (pairs that all occur, but not in a row, are no match). A query
    /// with no gram (a word of the field separator alone) scans `search`.
    static func matching(_ query: ItemQuery, for actor: Actor, today: Day, into s: inout SQLText) -> Bool {
        let words = SearchIndex.words(query.search)
        let grams = Set(words.flatMap(SearchIndex.grams(ofWord:))).sorted()
        let searched = !grams.isEmpty
        guard let c = conditions(query, for: actor, today: today, searched: searched, into: &s) else { return false }
        let rows =
            searched
            ? "ducha_search(\(s.bind(grams)), \(s.bind(words.map { String(decoding: $0, as: UTF8.self) })), \(query.extensionPending)) AS items"
            : "items"
        s.sql += """
            WITH m AS (
                SELECT year, serial, sub, number, is_part, deadline, lead_unit, late_days, \(lightSQL(today)) AS light FROM \(rows)
                \(c.isEmpty ? "" : "WHERE " + c.joined(separator: " AND ")))
            """
        return true
    }

    /// Runs a read in one snapshot as `actor` (row-level security shows a unit its own items),
    /// once the lights' days are those of `evaluator`'s calendar.
    func read<T>(
        _ what: String, as actor: Actor, _ evaluator: StatusEvaluator, _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try ensureLights(calendar: evaluator.calendar)
        return try session.transaction(what, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            () throws(StoreError) -> T in
            try setActor(role: actor.role, unit: actor.unit)
            return try body()
        }
    }

    public func counts(_ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> ItemQuery.Counts
    {
        try listCounts(query, for: actor, evaluator).counts
    }

    /// The list's rows and counts, in one pass over the matching items.
    public func listCounts(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> (rows: Int, counts: ItemQuery.Counts) {
        var s = SQLText()
        guard PostgresStore.matching(query, for: actor, today: evaluator.today, into: &s) else { return (0, ItemQuery.Counts()) }
        // A part listed with its 分别办理 item counts as that item (`ItemQuery.counts`). Whether
        // the item is listed too is a window over the family, not a self-join of `m`: the
        // planner cannot know how many rows a search finds and ran such a join as a nested
        // loop (城关 at 100,000 items: 1.1 s instead of 0.02 s).
        s.sql += """
            ,
            k AS (
                SELECT bool_or(light = 'red') AS red, bool_or(light = 'yellow') AS yellow
                FROM (SELECT m.*, bool_or(m.sub = 0) OVER (PARTITION BY m.year, m.serial) AS listed FROM m) f
                GROUP BY year, serial, CASE WHEN is_part AND listed THEN 0 ELSE sub END)
            SELECT count(*), count(*) FILTER (WHERE red), count(*) FILTER (WHERE yellow AND NOT red), (SELECT count(*) FROM m)
            FROM k
            """
        return try read("统计事项", as: actor, evaluator) { () throws(StoreError) -> (rows: Int, counts: ItemQuery.Counts) in
            let rows = try session.query(s.query, "统计事项")
            guard let row = rows.rows.first, let (n, red, yellow, all) = try? row.decode((Int, Int, Int, Int).self) else {
                throw .database("统计事项失败：结果格式不对")
            }
            return (all, ItemQuery.Counts(items: n, overdue: red, dueSoon: yellow))
        }
    }

    public func page(
        _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator, offset: Int, limit: Int
    ) throws(StoreError) -> QueryPage {
        var s = SQLText()
        guard PostgresStore.ranked(query, for: actor, today: evaluator.today, into: &s), limit > 0 else {
            return QueryPage(items: [], statuses: [], ledger: ledger)
        }
        // The numbers in order; their states are read with their families'.
        s.sql += "SELECT number FROM ranked ORDER BY pos OFFSET \(max(0, offset)) LIMIT \(limit)"
        return try read("列出事项", as: actor, evaluator) { () throws(StoreError) -> QueryPage in
            var numbers: [ItemNumber] = []
            for row in try session.query(s.query, "列出事项").rows {
                guard let text = try? row.decode(String.self), let n = ItemNumber.parseFull(text) else {
                    throw .database("数据库中的事项编号无法识别")
                }
                numbers.append(n)
            }
            let ledger = try familiesLedger(of: numbers)
            // The items as the ledger holds them (a part knows it is one).
            var items: [Item] = []
            items.reserveCapacity(numbers.count)
            for n in numbers {
                guard let item = ledger.item(n) else { throw .database("数据库中的 \(n) 无法读取") }
                items.append(item)
            }
            return QueryPage(items: items, statuses: items.map { evaluator.status(of: $0) }, ledger: ledger)
        }
    }

    /// The ledger as read, with the listed items and their families (parents, children, a
    /// 分别办理 item's parts), as the office sees them: what a row shows of them.
    func familiesLedger(of numbers: [ItemNumber]) throws(StoreError) -> Ledger {
        var out = ledger
        // A ledger read whole already holds them; one read for some items (`.only`) holds
        // their families.
        guard out.partial else { return out }
        let families = Set(numbers.map(\.family)).filter { out.item($0) == nil }.sorted()
        guard !families.isEmpty else { return out }
        let family = try readFamilies(families)
        do throws(CoreError) { try out.restore(items: family) } catch { throw .database("数据库中的事项有误：\(error.message)") }
        return out
    }

    public func position(
        of number: ItemNumber, _ query: ItemQuery, for actor: Actor, _ evaluator: StatusEvaluator
    ) throws(StoreError) -> Int? {
        var s = SQLText()
        guard PostgresStore.ranked(query, for: actor, today: evaluator.today, into: &s) else { return nil }
        s.sql += "SELECT pos FROM ranked WHERE year = \(number.year) AND serial = \(number.serial) AND sub = \(number.sub)"
        return try read("查找事项", as: actor, evaluator) { () throws(StoreError) -> Int? in
            let rows = try session.query(s.query, "查找事项")
            return rows.rows.first.flatMap { try? $0.decode(Int.self) }
        }
    }

    public func overview(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Overview {
        var s = SQLText()
        guard let c = PostgresStore.conditions(ItemQuery(), for: actor, today: evaluator.today, into: &s) else {
            return Overview()
        }
        s.sql +=
            "\(PostgresStore.overviewRows(c, evaluator.today, extra: "")) SELECT \(PostgresStore.overviewCounts(evaluator.today)) FROM m"
        return try read("统计事项", as: actor, evaluator) { () throws(StoreError) -> Overview in
            let rows = try session.query(s.query, "统计事项")
            guard let row = rows.rows.first else { throw .database("统计事项失败：结果格式不对") }
            return try PostgresStore.decodeOverview(row, from: 0).overview
        }
    }

    /// The rows an overview counts (`Overview.add`, item by item: a 分别办理 item counts
    /// through its parts), as `m`, with `extra` columns.
    static func overviewRows(_ c: [String], _ today: Day, extra: String) -> String {
        """
        WITH m AS (SELECT state, closed_on, sign_overdue_from, feedback_overdue_from, \(lightSQL(today)) AS light\(extra) FROM items
                   WHERE NOT (lead_unit = '' AND sub = 0)\(c.isEmpty ? "" : " AND " + c.joined(separator: " AND ")))
        """
    }

    /// The 14 counts of an `Overview`, in `decodeOverview`'s order.
    static func overviewCounts(_ today: Day) -> String {
        let d = "DATE '\(today)'"
        let month = "date_trunc('month', \(d))::date"
        return """
            count(*) FILTER (WHERE state <> 'withdrawn'),
                   count(*) FILTER (WHERE state = 'closed'),
                   count(*) FILTER (WHERE state = 'closed' AND light = 'closedOnTime'),
                   count(*) FILTER (WHERE state = 'closed' AND light <> 'closedOnTime'),
                   count(*) FILTER (WHERE state NOT IN ('closed', 'withdrawn')),
                   count(*) FILTER (WHERE state <> 'withdrawn' AND light = 'red'),
                   count(*) FILTER (WHERE state <> 'withdrawn' AND light = 'yellow'),
                   count(*) FILTER (WHERE state = 'pending'),
                   count(*) FILTER (WHERE state = 'review'),
                   count(*) FILTER (WHERE state = 'suspended'),
                   count(*) FILTER (WHERE state = 'withdrawn'),
                   count(*) FILTER (WHERE state <> 'withdrawn' AND sign_overdue_from <= \(d)),
                   count(*) FILTER (WHERE state <> 'withdrawn' AND feedback_overdue_from <= \(d)),
                   count(*) FILTER (WHERE state = 'closed' AND closed_on >= \(month)
                                    AND closed_on < (\(month) + interval '1 month')::date)
            """
    }

    /// An overview's counts from the cells of `row` from `from` on (`overviewCounts`), and any
    /// further integer cells after them.
    static func decodeOverview(_ row: PostgresRow, from: Int) throws(StoreError) -> (overview: Overview, rest: [Int]) {
        var o = Overview()
        var values: [Int] = []
        for cell in row.dropFirst(from) {
            guard let v = try? cell.decode(Int.self) else { throw .database("统计事项失败：结果格式不对") }
            values.append(v)
        }
        guard values.count >= 14 else { throw .database("统计事项失败：结果格式不对") }
        (o.total, o.closed, o.closedOnTime, o.closedLate, o.open, o.overdue, o.dueSoon) =
            (values[0], values[1], values[2], values[3], values[4], values[5], values[6])
        (o.pendingSign, o.pendingReview, o.suspended, o.withdrawn, o.signOverdue, o.feedbackOverdue, o.closedThisMonth) =
            (values[7], values[8], values[9], values[10], values[11], values[12], values[13])
        return (o, Array(values.dropFirst(14)))
    }

    public func openDeadlineYears(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> Set<Int> {
        var s = SQLText()
        // `state` as `warnAboutCalendar` reads it (not the shown one).
        let open = ItemState.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        s.sql = "SELECT DISTINCT extract(year FROM deadline)::integer FROM items WHERE state IN (\(open))"
        if actor.role == .unit {
            guard let unit = actor.unit else { return [] }
            let u = s.bind(unit)
            s.sql += " AND (lead_unit = \(u) OR \(u) = ANY (co_units))"
        }
        return try read("读取事项", as: actor, evaluator) { () throws(StoreError) -> Set<Int> in
            let rows = try session.query(s.query, "读取事项")
            var out = Set<Int>()
            for row in rows.rows { if let y = try? row.decode(Int.self) { out.insert(y) } }
            return out
        }
    }
}

extension PostgresStore: ScreenQueries {
    public func leadFigures(for actor: Actor, _ evaluator: StatusEvaluator) throws(StoreError) -> [String: LeadFigures] {
        var s = SQLText()
        guard let c = PostgresStore.conditions(ItemQuery(), for: actor, today: evaluator.today, into: &s) else { return [:] }
        // The 延期待批 and 退办 an item awaits are kept in its state only.
        let extra = ", lead_unit, \(PostgresStore.awaitsExtension()) AS extension, \(PostgresStore.awaitsDecline) AS declined"
        s.sql += """
            \(PostgresStore.overviewRows(c, evaluator.today, extra: extra))
            SELECT lead_unit, \(PostgresStore.overviewCounts(evaluator.today)),
                   count(*) FILTER (WHERE extension), count(*) FILTER (WHERE declined)
            FROM m GROUP BY lead_unit
            """
        return try read("统计事项", as: actor, evaluator) { () throws(StoreError) -> [String: LeadFigures] in
            var out: [String: LeadFigures] = [:]
            for row in try session.query(s.query, "统计事项").rows {
                guard let unit = try? row.first?.decode(String.self) else { throw .database("统计事项失败：结果格式不对") }
                let (overview, rest) = try PostgresStore.decodeOverview(row, from: 1)
                guard rest.count == 2 else { throw .database("统计事项失败：结果格式不对") }
                var f = LeadFigures()
                (f.overview, f.pendingExtensions, f.declined) = (overview, rest[0], rest[1])
                out[unit] = f
            }
            return out
        }
    }

    public func unitLoads() throws(StoreError) -> [String: UnitLoad] {
        let open = ItemState.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var out: [String: UnitLoad] = [:]
        for (unit, load) in try rows(
            """
            SELECT u, count(*) FILTER (WHERE u = lead_unit), count(*) FILTER (WHERE u <> lead_unit),
                   count(*) FILTER (WHERE u = lead_unit AND state IN (\(open)))
            FROM (SELECT DISTINCT lead_unit, state, year, serial, sub, unnest(array[lead_unit] || co_units) AS u FROM items) x
            GROUP BY u
            """, as: Actor(login: "", role: .supervisor),
            { (row) throws(StoreError) -> (String, UnitLoad) in
                guard let (u, lead, co, open) = try? row.decode((String, Int, Int, Int).self) else {
                    throw .database("统计各单位事项失败：结果格式不对")
                }
                return (u, UnitLoad(lead: lead, co: co, open: open))
            })
        {
            out[unit] = load
        }
        return out
    }

    public func bases(for actor: Actor) throws(StoreError) -> [Basis] {
        // The first item of each basis says its date, as a set of the items' bases keeps it.
        try rows(
            """
            SELECT DISTINCT ON (basis_name, basis_number) basis_name, coalesce(basis_number, ''),
                   coalesce(state_line::jsonb->>'basisDate', '')
            FROM items WHERE coalesce(basis_name, '') <> '' ORDER BY basis_name, basis_number, year, serial, sub
            """, as: actor
        ) { (row) throws(StoreError) -> Basis in
            guard let (name, number, date) = try? row.decode((String, String, String).self) else {
                throw .database("读取交办依据失败：结果格式不对")
            }
            return Basis(name: name, number: number, date: Day.parseStored(date))
        }.sorted()
    }

    public func changeMarks(for actor: Actor) throws(StoreError) -> [String: Int] {
        var out: [String: Int] = [:]
        for (number, count) in try rows(
            "SELECT number, seq FROM items", as: actor,
            { (row) throws(StoreError) -> (String, Int) in
                guard let pair = try? row.decode((String, Int?).self) else { throw .database("读取事项失败：结果格式不对") }
                return (pair.0, pair.1 ?? 0)
            })
        {
            out[number] = count
        }
        return out
    }

    /// Each row of `sql` read as `actor` sees the items, made into a value.
    func rows<T>(
        _ sql: String, as actor: Actor, _ make: (PostgresRow) throws(StoreError) -> T
    ) throws(StoreError) -> [T] {
        try session.transaction("读取事项", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            () throws(StoreError) -> [T] in
            try setActor(role: actor.role, unit: actor.unit)
            var out: [T] = []
            for row in try session.query(PostgresQuery(unsafeSQL: sql), "读取事项").rows { out.append(try make(row)) }
            return out
        }
    }

    public func items(_ numbers: [ItemNumber], for actor: Actor) throws(StoreError) -> Ledger {
        guard !numbers.isEmpty else { return ledger }
        // Only those the person may see (row-level security as the person), with their families.
        return try session.transaction("读取事项", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            () throws(StoreError) -> Ledger in
            try setActor(role: actor.role, unit: actor.unit)
            let rows = try session.query(
                """
                SELECT number FROM items
                WHERE (year, serial, sub) IN (SELECT * FROM unnest(\(numbers.map(\.year))::integer[], \(numbers.map(\.serial))::integer[],
                                                                 \(numbers.map(\.sub))::integer[]))
                """, "读取事项")
            var out: [ItemNumber] = []
            for row in rows.rows {
                guard let text = try? row.decode(String.self), let n = ItemNumber.parseFull(text) else {
                    throw .database("数据库中的事项编号无法识别")
                }
                out.append(n)
            }
            return try familiesLedger(of: out)
        }
    }
}
