import DuchaCore

/// One item: every field, the instruction wrapped by display width, the history newest first.
enum DetailView {
    static func lines(_ s: AppState) -> [String] {
        guard let item = s.currentItem else { return [] }
        let evaluator = s.evaluator
        return ItemDetailText.lines(
            item, status: evaluator.status(of: item), ledger: s.ledger, width: s.cols - 2, statusOf: { evaluator.status(of: $0) },
            histories: s.histories)
    }

    /// Which lines are shown, for the status line, when the page is longer than the screen.
    static func position(_ s: AppState) -> String? {
        let count = lines(s).count
        let height = s.detailHeight
        guard count > height else { return nil }
        let top = max(0, min(s.detailScroll, count - height))
        return "第 \(top + 1)–\(min(count, top + height)) 行，共 \(count) 行"
    }

    static func draw(_ screen: inout Screen, _ s: AppState) {
        guard let item = s.currentItem else {
            screen.put("该事项已不在台账中", row: 2, col: 2, style: .dim)
            return
        }
        let status = s.evaluator.status(of: item)
        let all = lines(s)
        let height = s.detailHeight
        let top = max(0, min(s.detailScroll, all.count - height))
        var inHistory = false
        for (r, line) in all.enumerated() {
            if line.hasPrefix("办理记录") { inHistory = true }
            guard r >= top, r < top + height else { continue }
            let style: Style
            if r == 0 {
                style = .bold
            } else if line.hasPrefix("亮灯：") {
                style = Renderer.style(status.light)
            } else if line.hasPrefix("批示内容：") || line.hasPrefix("办理记录") {
                style = .header
            } else if inHistory, line.hasPrefix("  "), !line.hasPrefix("      ") {
                style = .accent
            } else {
                style = .normal
            }
            screen.put(line, row: 1 + r - top, col: 1, style: style)
        }
    }
}
