// What every numbered notice (逾期事项通报, 落实情况通报) shares: how its JSON opens and how its
// text ends.

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

extension TextLines {
    /// How every notice begins: the title centred (wrapped when long), 第N期, then the office at
    /// the left and the date at the right.
    mutating func appendHead(_ title: String, _ serial: String, office: String, date: Day, width: Int) {
        for l in title.sanitized().wrapped(toWidth: width) { append(l.centered(inWidth: width)) }
        append(serial.centered(inWidth: width))
        append("")
        let officeText = office.sanitized()
        let dateText = date.chinese
        append(
            officeText + String(repeating: " ", count: max(2, width - officeText.displayWidth - dateText.displayWidth)) + dateText
        )
        append("")
    }

    /// How every notice ends: a blank line, the office and the date at the right (署名, 成文日期),
    /// and the 台账校验码 under them.
    mutating func appendSignature(_ office: String, _ date: String, width: Int, code: LedgerCode?) {
        append("")
        let signWidth = max(office.displayWidth, date.displayWidth)
        for s in [office, date] { append(String(repeating: " ", count: max(0, width - signWidth - 4)) + s) }
        if let code {
            append("")
            for l in code.lines { append(l) }
        }
    }
}
