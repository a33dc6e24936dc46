import Foundation

/// Writes ratings as MovieLens-style CSV: `userId,movieId,rating,timestamp`.
///
/// Users come in index order and each user's items in index order. Ratings are printed with
/// Swift's shortest round-trip form (`4.0`, `3.5`), so reading the file back gives bit-identical
/// values. The timestamp column is empty when the dataset has no timestamps. Ids that contain a
/// comma, a quote or a line break are quoted (RFC 4180).
public enum RatingsCSVWriter {
  /// The header line, without its newline.
  public static let header = "userId,movieId,rating,timestamp"

  /// The file's text.
  public static func csv(_ dataset: RatingsDataset) -> String {
    var out = header + "\n"
    out.reserveCapacity(24 * dataset.ratingCount + 64)
    let userTexts = dataset.users.ids.map { field($0.description) }
    let itemTexts = dataset.items.ids.map { field($0.description) }
    for u in 0..<dataset.userCount {
      let (items, values) = dataset.ratings(ofUser: u)
      let times = dataset.timestamps(ofUser: u)
      for k in 0..<items.count {
        let p = items.startIndex + k
        out += userTexts[u]
        out += ","
        out += itemTexts[Int(items[p])]
        out += ","
        out += values[p].description
        out += ","
        if let times { out += String(times[times.startIndex + k]) }
        out += "\n"
      }
    }
    return out
  }

  /// Writes `dataset` to `url` atomically (see ``AtomicFile``): a regular file there is
  /// replaced only once the new one is complete; a symbolic link, FIFO, device, socket or folder
  /// at `url` is refused and left as it was.
  ///
  /// - Throws: ``DataError`` naming the path: `.notRegularFile`, `.fileNotFound` (a missing
  ///   folder), `.permissionDenied`, `.symbolicLinkLoop` or `.ioFailure` (a full disk).
  public static func write(_ dataset: RatingsDataset, to url: URL) throws {
    try FileAccess.requireWritableDestination(url)
    try AtomicFile.write(Data(csv(dataset).utf8), to: url)
  }

  /// `text` quoted when it holds a delimiter, a quote or a line break.
  private static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return text
    }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
