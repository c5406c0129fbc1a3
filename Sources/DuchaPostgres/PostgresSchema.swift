import DuchaStore

/// The tables of a PostgreSQL ledger; they keep the promises of the files.
///
/// - `records`: the history, append-only. Each row is one record exactly as the file store's
///   journal line encodes it (`EntryCodec.line`, without the newline), its sequence number, its
///   item's year, serial and sub-number (`item_sub`: the N of a child's 之N, 0 otherwise), the
///   hash of the record before it (`prev`: the hash chain) and the server's time when it was
///   inserted. A trigger refuses UPDATE, DELETE and TRUNCATE for everyone (an owner must first
///   disable it, and `check` then finds the altered record); another checks, for every insert,
///   that the sequence follows and that `prev` is the hash of the line before, so even a
///   program other than ducha can only extend the chain. The role ducha connects as may only
///   INSERT and SELECT.
/// - `items`: each item's current state (the state object the snapshot stores, as text) and
///   columns to query by, keyed by year, serial and `sub` (a child, 之N, is a row of its own;
///   a 分别办理 part leads as its unit, so a unit sees its own part only), maintained in the commit's transaction. Row-level security shows a
///   unit only the items it leads or co-handles, keyed on `ducha.role` and `ducha.unit` set per
///   transaction; the office and leaders see everything.
/// - Units, roster and settings are derived from the records.
/// - Every insert notifies channel `ducha` (payload: the last sequence number) for live refresh.
/// - `hook_lights`: the lights the 临期/逾期 hooks were run for (not records: ducha's role may
///   change it), see `PostgresNotifiedLights`.
///
/// A database made before child items (records without `item_sub`, items without `sub`, all
/// of them items of their own) is upgraded in place by its owner, once, in one transaction:
/// `PostgresStore.upgradeForChildItems` runs `upgradeToChildItems`. ducha's role cannot alter
/// tables; until then its commits are refused in Chinese.
enum PostgresSchema {
    /// The advisory lock a commit takes for its transaction (the file store's flock).
    static let commitLock: Int64 = 0x6475_6368_6100_0001

    static let notifyChannel = "ducha"

    /// Statements run once, by the owner, in one transaction; `app` is the role ducha uses.
    static func statements(app: String) -> [String] {
        let role = quoted(app)
        return [
            """
            CREATE TABLE records (
                seq bigint PRIMARY KEY CHECK (seq > 0),
                recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                item_year integer,
                item_serial integer,
                item_sub integer NOT NULL DEFAULT 0 CHECK (item_sub >= 0),
                line text NOT NULL,
                prev text CHECK (prev IS NULL OR prev ~ '^[0-9a-f]{64}$')
            )
            """,
            "CREATE INDEX records_item ON records (item_year, item_serial, item_sub, seq) WHERE item_year IS NOT NULL",
            """
            CREATE FUNCTION ducha_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '台账记录只能追加，不能修改、删除或清空（拒绝执行 %）', TG_OP;
            END
            $$
            """,
            """
            CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records
                FOR EACH ROW EXECUTE FUNCTION ducha_records_append_only()
            """,
            """
            CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records
                FOR EACH STATEMENT EXECUTE FUNCTION ducha_records_append_only()
            """,
            """
            CREATE FUNCTION ducha_records_chain() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                last_seq bigint;
                last_line text;
                last_prev text;
                start text := repeat('0', 64);
                j jsonb;
            BEGIN
                NEW.recorded_at := clock_timestamp();
                j := NEW.line::jsonb;
                IF (j->>'seq')::bigint IS DISTINCT FROM NEW.seq OR (j->>'prev') IS DISTINCT FROM NEW.prev THEN
                    RAISE EXCEPTION '第 % 条记录的序号或校验码与记录内容不一致', NEW.seq;
                END IF;
                SELECT seq, line, prev INTO last_seq, last_line, last_prev FROM records ORDER BY seq DESC LIMIT 1;
                IF last_seq IS NULL THEN
                    IF NEW.seq <> 1 THEN
                        RAISE EXCEPTION '台账的第一条记录应为第 1 条，而不是第 % 条', NEW.seq;
                    END IF;
                    IF NEW.prev IS NOT NULL AND NEW.prev <> start THEN
                        RAISE EXCEPTION '第 1 条记录所记的前一条记录的校验码应为全零';
                    END IF;
                    RETURN NEW;
                END IF;
                IF NEW.seq <> last_seq + 1 THEN
                    RAISE EXCEPTION '台账记录的序号应为 %，而不是 %', last_seq + 1, NEW.seq;
                END IF;
                IF NEW.prev IS NULL THEN
                    IF last_prev IS NOT NULL THEN
                        RAISE EXCEPTION '第 % 条记录缺少前一条记录的校验码', NEW.seq;
                    END IF;
                ELSIF NOT (NEW.prev = start AND last_prev IS NULL)
                    AND NEW.prev <> encode(sha256(convert_to(last_line, 'UTF8')), 'hex') THEN
                    RAISE EXCEPTION '第 % 条记录所记的前一条记录的校验码与第 % 条不符', NEW.seq, last_seq;
                END IF;
                RETURN NEW;
            END
            $$
            """,
            """
            CREATE TRIGGER records_chain BEFORE INSERT ON records
                FOR EACH ROW EXECUTE FUNCTION ducha_records_chain()
            """,
            """
            CREATE FUNCTION ducha_records_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('\(notifyChannel)', (SELECT max(seq) FROM records)::text);
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER records_notify AFTER INSERT ON records
                FOR EACH STATEMENT EXECUTE FUNCTION ducha_records_notify()
            """,
            """
            CREATE TABLE items (
                year integer NOT NULL,
                serial integer NOT NULL,
                sub integer NOT NULL DEFAULT 0 CHECK (sub >= 0),
                number text NOT NULL,
                state text NOT NULL,
                lead_unit text NOT NULL,
                co_units text[] NOT NULL DEFAULT '{}',
                deadline date NOT NULL,
                seq bigint NOT NULL,
                state_line text NOT NULL,
                PRIMARY KEY (year, serial, sub)
            )
            """,
            "CREATE INDEX items_state ON items (state)",
            "CREATE INDEX items_lead_unit ON items (lead_unit)",
            "CREATE INDEX items_co_units ON items USING gin (co_units)",
            "CREATE INDEX items_deadline ON items (deadline)",
        ] + queryColumns(app: app) + [
            "ALTER TABLE items ENABLE ROW LEVEL SECURITY",
            """
            CREATE POLICY items_by_unit ON items USING (\(visible())) WITH CHECK (true)
            """,
            "REVOKE ALL ON records, items FROM PUBLIC",
            "GRANT SELECT, INSERT ON records TO \(role)",
            "GRANT SELECT, INSERT, UPDATE ON items TO \(role)",
        ] + hookLights(app: app)
    }

    /// `hook_lights`: the lights the 临期/逾期 hooks were run for (`PostgresNotifiedLights`),
    /// ducha's memory of what it told people rather than the record: its role may change it.
    /// The owner of a database made before it runs these statements once.
    static func hookLights(app: String) -> [String] {
        [
            "CREATE TABLE hook_lights (number text PRIMARY KEY, light text NOT NULL)",
            "REVOKE ALL ON hook_lights FROM PUBLIC",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON hook_lights TO \(quoted(app))",
        ]
    }

    /// Whether the person acting (`ducha.role`, `ducha.unit`, set per transaction) may see a
    /// row of `items` (`row`: its alias in the statement, if any): the row-level security policy.
    static func visible(_ row: String = "") -> String {
        let r = row.isEmpty ? "" : row + "."
        return """
            current_setting('ducha.role', true) IN ('supervisor', 'leader') OR \(r)lead_unit = current_setting('ducha.unit', true) \
            OR current_setting('ducha.unit', true) = ANY (\(r)co_units)
            """
    }

    /// What the owner runs on a database of the earlier schema (see above).
    static let upgradeToChildItems = [
        "ALTER TABLE records ADD COLUMN item_sub integer NOT NULL DEFAULT 0 CHECK (item_sub >= 0)",
        "DROP INDEX records_item",
        "CREATE INDEX records_item ON records (item_year, item_serial, item_sub, seq) WHERE item_year IS NOT NULL",
        "ALTER TABLE items ADD COLUMN sub integer NOT NULL DEFAULT 0 CHECK (sub >= 0)",
        "ALTER TABLE items DROP CONSTRAINT items_pkey, ADD PRIMARY KEY (year, serial, sub)",
    ]

    /// The columns lists, searches and counts select by (see `PostgresQueries`), their indexes
    /// and the table that says which calendar and settings the lights' days were counted with.
    /// Part of a new ledger's tables; an earlier ledger gets them from its owner
    /// (`PostgresStore.upgradeForQueries`), after which the first reader fills them.
    static func queryColumns(app: String) -> [String] {
        [
            """
            ALTER TABLE items
                ADD COLUMN shown_state text, ADD COLUMN source text, ADD COLUMN basis_name text, ADD COLUMN basis_number text,
                ADD COLUMN basis_label text, ADD COLUMN search text, ADD COLUMN is_part boolean NOT NULL DEFAULT false,
                ADD COLUMN closed_on date, ADD COLUMN fixed_light text, ADD COLUMN late_days integer, ADD COLUMN yellow_from date,
                ADD COLUMN red_from date, ADD COLUMN sign_overdue_from date, ADD COLUMN feedback_overdue_from date
            """,
            "CREATE INDEX items_shown_state ON items (shown_state)",
            "CREATE INDEX items_source ON items (source)",
            "CREATE INDEX items_basis_label ON items (basis_label)",
            "CREATE INDEX items_red_from ON items (red_from)",
            "CREATE INDEX items_yellow_from ON items (yellow_from)",
            "CREATE INDEX items_sign_overdue_from ON items (sign_overdue_from) WHERE sign_overdue_from IS NOT NULL",
            "CREATE INDEX items_feedback_overdue_from ON items (feedback_overdue_from) WHERE feedback_overdue_from IS NOT NULL",
            // Opening reads the records that are not about an item (settings, roster).
            "CREATE INDEX IF NOT EXISTS records_global ON records (seq) WHERE item_year IS NULL",
            "CREATE TABLE ducha_meta (key text PRIMARY KEY, value text NOT NULL)",
            "REVOKE ALL ON ducha_meta FROM PUBLIC",
            "GRANT SELECT, INSERT, UPDATE ON ducha_meta TO \(quoted(app))",
        ] + searchGrams(app: app)
    }

    /// The index search goes through (`PostgresQueries`): each item's grams (`SearchIndex.grams`,
    /// every character and pair of adjacent characters of its search text) in a GIN index, and
    /// `ducha_search(grams, words, extension)`: the rows holding all the grams and every word
    /// (`strpos`, the exact check), and with `extension` only those awaiting a decision on an
    /// extension (read in the state only then), that the person acting may see, with the
    /// columns a list selects by.
    ///
    /// A function, not a condition on `items`, because of row-level security: PostgreSQL uses
    /// an index for a condition of ducha's role only when its operator is leakproof (evaluating
    /// it before the policy cannot reveal a row), and an array's `@>` is not, so the planner
    /// scanned every row. The function runs as the tables' owner (`SECURITY DEFINER`, whom the
    /// policy does not bind), where the index serves `@>`, and applies the policy's condition
    /// itself (`visible`): it returns exactly the rows the person could read (ducha's role
    /// calling it with any grams learns nothing more). It returns the columns rather than keys
    /// to join back to `items`: the planner cannot know how many rows a search finds, and a
    /// word of one common character (交: 40% of the items) looked up 40,000 rows by key. Its
    /// search path is fixed (the owner's schema, temporary tables last). Part of the query
    /// columns; an earlier ledger gets them from its owner (`PostgresStore.upgradeForQueries`).
    static func searchGrams(app: String) -> [String] {
        [
            "ALTER TABLE items ADD COLUMN grams text[]",
            "CREATE INDEX items_grams ON items USING gin (grams)",
            """
            DO $do$ BEGIN EXECUTE format($f$
                CREATE OR REPLACE FUNCTION ducha_search(wanted text[], words text[], extension boolean)
                    RETURNS TABLE (
                        year integer, serial integer, sub integer, number text, is_part boolean, deadline date, lead_unit text,
                        co_units text[], late_days integer, shown_state text, source text, basis_name text, basis_number text,
                        basis_label text, fixed_light text, red_from date, yellow_from date, sign_overdue_from date,
                        feedback_overdue_from date)
                    LANGUAGE sql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, %I, pg_temp
                AS $$
                    SELECT i.year, i.serial, i.sub, i.number, i.is_part, i.deadline, i.lead_unit, i.co_units, i.late_days,
                           i.shown_state, i.source, i.basis_name, i.basis_number, i.basis_label, i.fixed_light, i.red_from,
                           i.yellow_from, i.sign_overdue_from, i.feedback_overdue_from
                    FROM items i
                    WHERE i.grams @> wanted AND NOT EXISTS (SELECT 1 FROM unnest(words) w WHERE strpos(i.search, w) = 0)
                          AND (NOT extension OR \(PostgresStore.awaitsExtension("i"))) AND (\(visible("i")))
                $$
            $f$, current_schema()); END $do$
            """,
            "REVOKE ALL ON FUNCTION ducha_search(text[], text[], boolean) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION ducha_search(text[], text[], boolean) TO \(quoted(app))",
        ]
    }

    /// The key in `ducha_meta` of what the lights' days were counted with
    /// (`LightThresholds.fingerprint`).
    static let lightsKey = "lights"

    /// A role name as an SQL identifier; only plain names are accepted.
    static func quoted(_ name: String) -> String { "\"" + name + "\"" }

    static func validRole(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 63
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            && !(name.utf8.first! >= 0x30 && name.utf8.first! <= 0x39)
    }
}
