/// What the JSON of every numbered notice (逾期事项通报, 落实情况通报) opens with, in one place.
extension JSONWriter {
    /// The office, the serial (a preview or issued), the day, the 台账校验码, then the summary
    /// object opened with the counts every notice gives; the caller adds its own counts and closes it.
    mutating func noticeFields(
        office: String, serial: Int, preview: Bool, date: Day, ledgerCode: LedgerCode?, overview: Overview
    ) {
        field("office", office)
        field("serial", serial)
        field("preview", preview)
        field("date", date.description)
        if let code = ledgerCode {
            key("ledgerCode")
            beginObject()
            field("seq", code.seq)
            field("sha256", code.head)
            endObject()
        }
        key("summary")
        beginObject()
        field("total", overview.total)
        field("closed", overview.closed)
        field("closedOnTime", overview.closedOnTime)
        field("closedLate", overview.closedLate)
        field("open", overview.open)
        field("overdue", overview.overdue)
    }
}
