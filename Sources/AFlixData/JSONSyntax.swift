import Foundation

/// JSON syntax checks that say where a document breaks: the line and column, which Foundation's
/// decoders do not report.
public enum JSONSyntax {
  /// `nil` when `data` is syntactically valid JSON; otherwise a ``DataError`` of kind
  /// `.invalidJSON` naming `file` with the 1-based line and column (in bytes) of the problem.
  public static func check(_ data: Data, file: String) -> DataError? {
    var validator = JSONStreamValidator(fileName: file, requireObjectElements: false)
    do {
      try data.withUnsafeBytes { try validator.feed($0.bindMemory(to: UInt8.self)) }
      try validator.finish()
      return nil
    } catch let error as DataError {
      return error
    } catch {
      return DataError(.invalidJSON, file: file, message: "not valid JSON: \(error)")
    }
  }

  /// A sentence for a decoding error: the path of the field (`configuration.users`) and what
  /// was wrong with it, without Swift's debug dump.
  public static func describe(_ error: any Error) -> String {
    guard let decoding = error as? DecodingError else { return "\(error)" }
    func path(_ keys: [any CodingKey]) -> String {
      let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
      return text.isEmpty ? "the document" : "field '\(text)'"
    }
    switch decoding {
    case .typeMismatch(let type, let context):
      return "\(path(context.codingPath)): expected \(type) (\(context.debugDescription))"
    case .valueNotFound(let type, let context):
      return "\(path(context.codingPath)): expected \(type), found null"
    case .keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])) is missing"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }
}
