import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// One download into a file, hashed as it arrives: the HTTP status must be 200, the byte count
/// must match what the server announced (`Content-Length`) and what the registry expects, and
/// the SHA-256 must match the pinned one.
///
/// Only the `aflix` command line downloads; the library products have no networking.
struct DatasetDownload {
  /// What to fetch.
  let dataset: KnownDataset
  /// The file the bytes go to (a hidden partial file the caller made and registered).
  let destination: URL
  /// Whether a progress bar is drawn on standard error (a terminal only).
  let showsProgress: Bool
  /// The most bytes taken when the registry gives no size (a manifest entry without `size`).
  var maximumUnsizedBytes = KnownDataset.maximumUnsizedBytes

  /// The most bytes taken: the expected size, else ``maximumUnsizedBytes``.
  var ceiling: Int64 { dataset.size ?? maximumUnsizedBytes }

  /// Downloads, then checks size and checksum.
  ///
  /// - Throws: ``DatasetError`` for an HTTP error, a connection that ended early, a size or
  ///   checksum that differs (naming expected and actual, the file and the address), a download
  ///   of unknown size that is larger than ``maximumUnsizedBytes``.
  func run() async throws {
    let handle = try FileHandle(forWritingTo: destination)
    defer { try? handle.close() }
    let receiver = Receiver(
      handle: handle, expected: dataset.size, ceiling: ceiling,
      progress: showsProgress ? ProgressBar(dataset.name, enabled: true) : nil)
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 60
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    let queue = OperationQueue()
    queue.maxConcurrentOperationCount = 1
    let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: queue)
    defer { session.finishTasksAndInvalidate() }
    let outcome = await withCheckedContinuation {
      (continuation: CheckedContinuation<Receiver.Outcome, Never>) in
      receiver.start(session.dataTask(with: dataset.url), continuation: continuation)
    }
    try handle.synchronize()
    try check(outcome)
  }

  /// Turns what happened into an error, most specific first.
  private func check(_ outcome: Receiver.Outcome) throws {
    let address = dataset.url.absoluteString
    if let writeError = outcome.writeError {
      throw DatasetError(
        "cannot write \(destination.path) while downloading \(address): \(writeError)")
    }
    if let status = outcome.status, status != 200 {
      throw DatasetError(
        "\(address) answered HTTP \(status) (\(HTTPURLResponse.localizedString(forStatusCode: status)))"
          + " instead of the archive")
    }
    if let expected = dataset.size, let announced = outcome.announced, announced != expected {
      throw DatasetError(
        "\(address) announces \(announced) bytes but \(dataset.name)'s archive has \(expected); "
          + "nothing was kept")
    }
    if dataset.size == nil, let announced = outcome.announced, announced > ceiling {
      throw DatasetError(
        "\(address) announces \(announced) bytes, more than the \(ByteCount.text(ceiling)) AFlix "
          + "downloads for a dataset of unknown size (give its \"size\" in the manifest); "
          + "nothing was kept")
    }
    if outcome.received > ceiling {
      throw DatasetError(
        "\(address) sent more than \(ByteCount.text(ceiling))"
          + (dataset.size == nil
            ? ", the most AFlix downloads for a dataset of unknown size (give its \"size\" in "
              + "the manifest)" : ", the size of \(dataset.name)'s archive")
          + "; the download was stopped and nothing was kept")
    }
    if let expected = outcome.announced ?? dataset.size, outcome.received != expected {
      let reason = outcome.transportError.map { " (\(Self.describe($0)))" } ?? ""
      throw DatasetError(
        "the download of \(address) stopped after \(outcome.received) of \(expected) bytes"
          + "\(reason); nothing was kept, run the command again")
    }
    if let transport = outcome.transportError {
      throw DatasetError("downloading \(address) failed: \(Self.describe(transport))")
    }
    let actual = outcome.sha256
    guard actual == dataset.sha256 else {
      throw DatasetError(
        "checksum mismatch for \(dataset.url.lastPathComponent) from \(address) "
          + "(\(outcome.received) bytes): expected SHA-256 \(dataset.sha256), got \(actual); "
          + "the download was removed")
    }
  }

  private static func describe(_ error: any Error) -> String {
    let ns = error as NSError
    return ns.localizedDescription.isEmpty ? "\(error)" : ns.localizedDescription
  }

  /// The session's delegate: writes and hashes each piece as it arrives. Every callback runs on
  /// the session's one-at-a-time queue; the outcome is read only after the task completes.
  private final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Outcome: Sendable {
      var status: Int?
      var announced: Int64?
      var received: Int64 = 0
      var sha256 = ""
      var transportError: (any Error)?
      var writeError: (any Error)?
    }

    private let handle: FileHandle
    private let expected: Int64?
    private let ceiling: Int64
    private let progress: ProgressBar?
    private var hasher = SHA256()
    private var outcome = Outcome()
    private var continuation: CheckedContinuation<Outcome, Never>?

    init(handle: FileHandle, expected: Int64?, ceiling: Int64, progress: ProgressBar?) {
      self.handle = handle
      self.expected = expected
      self.ceiling = ceiling
      self.progress = progress
    }

    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<Outcome, Never>) {
      self.continuation = continuation
      task.resume()
    }

    func urlSession(
      _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
      completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
      if let http = response as? HTTPURLResponse { outcome.status = http.statusCode }
      if response.expectedContentLength >= 0 { outcome.announced = response.expectedContentLength }
      let refused =
        (outcome.status.map { $0 != 200 } ?? false)
        || (expected != nil && outcome.announced != nil && outcome.announced != expected)
        || (outcome.announced.map { $0 > ceiling } ?? false)
      completionHandler(refused ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
      guard outcome.writeError == nil else { return }
      do {
        try handle.write(contentsOf: data)
      } catch {
        outcome.writeError = error
        dataTask.cancel()
        return
      }
      hasher.update(data)
      outcome.received += Int64(data.count)
      if let progress {
        let total = outcome.announced ?? expected
        progress.update(
          total.map { Double(outcome.received) / Double(max(1, $0)) } ?? 0,
          note: ByteCount.text(outcome.received) + (total.map { " of " + ByteCount.text($0) } ?? "")
        )
      }
      // More than announced or allowed: stop now rather than fill the disk.
      if outcome.received > min(outcome.announced ?? ceiling, ceiling) { dataTask.cancel() }
    }

    func urlSession(
      _ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?
    ) {
      progress?.clear()
      outcome.transportError = error
      outcome.sha256 = hasher.hexDigest
      continuation?.resume(returning: outcome)
      continuation = nil
    }
  }
}

/// Byte counts as people read them.
enum ByteCount {
  /// `978 kB`, `4.9 MB`, `262.0 MB` (decimal units, as GroupLens's site gives sizes).
  static func text(_ bytes: Int64) -> String {
    let value = Double(bytes)
    if value < 1_000 { return "\(bytes) B" }
    if value < 1_000_000 { return String(format: "%.0f kB", value / 1_000) }
    if value < 1_000_000_000 { return String(format: "%.1f MB", value / 1_000_000) }
    return String(format: "%.2f GB", value / 1_000_000_000)
  }
}
