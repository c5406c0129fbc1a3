import DuchaCore
import DuchaOps

/// A key as the interface understands it, whatever terminal produced it.
public enum Key: Equatable, Sendable {
    /// A printable character, including Chinese typed through an input method.
    case char(Character)
    /// Ctrl plus a letter: .ctrl("u") is Ctrl-U.
    case ctrl(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right, pageUp, pageDown, home, end, insert
    /// F1 to F12.
    case function(Int)
}

/// Everything that can happen to the interface.
public enum Event: Equatable, Sendable {
    case key(Key)
    case resize(rows: Int, cols: Int)
    /// Text pasted (bracketed paste: the terminal marks where a paste begins and ends), whole.
    case paste(String)
}

/// What the interface asks its runner to do; the result comes back through the state's
/// `…Finished` methods.
public enum Effect: Equatable, Sendable {
    /// Run an operation (an action, a registration, an edit) as the current user.
    case perform(Operation)
    /// Write the overdue notice to a file; `issue` records the notice's number first.
    case exportNotice(path: String, issue: Bool, dueSoon: Bool)
    /// Write 催办通知: one unit's to a file, or every unit's into a folder.
    case exportReminders(path: String, unit: String?)
    /// Write the whole ledger (the items the user may see) as CSV.
    case exportLedger(path: String)
    /// Write the marked items (those of them the user may see) as the ledger's CSV.
    case exportMarked(path: String, numbers: [ItemNumber])
    /// Write the 落实情况通报 of one basis (a preview) as text.
    case exportProgress(path: String, basis: String)
    /// Run operations one by one on the marked rows (`verb`: 催办, 审核通过), each judged on its
    /// own: the status line says how many were done and which were refused and why.
    case performBatch([Operation], verb: String)
    /// An export the user agreed may replace the file already at its path.
    indirect case overwriting(Effect)
    /// Read the file at `path` with the user's own rights and keep it as 佐证材料 of the item.
    case attachFile(ItemNumber, path: String, note: String)
    /// Edit text in $EDITOR and hand it back.
    case openEditor(String)
    /// Ctrl-Z: give the terminal back to the shell and stop until `fg`.
    case suspend
    case quit
}
