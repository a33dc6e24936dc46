import Foundation

/// Runs the `aflix` executable that `swift test` built next to the test bundle.
public enum CommandRunner {
  /// The output and exit status of one run.
  public struct Result: Sendable {
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
    /// The exit status.
    public var status: Int32
  }

  /// The folder of the built products (the test bundle's folder).
  public static var productsFolder: URL {
    var url = Bundle.main.bundleURL
    if url.pathExtension == "xctest" { url.deleteLastPathComponent() }
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("aflix").path) {
      return url
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  }

  /// Runs `aflix` with `arguments` and waits for it.
  public static func aflix(_ arguments: [String]) throws -> Result {
    try aflix(arguments, environment: [:])
  }

  /// Runs `aflix` with `arguments` and `environment` added to this process's environment.
  public static func aflix(_ arguments: [String], environment: [String: String]) throws -> Result {
    let process = Process()
    process.executableURL = productsFolder.appendingPathComponent("aflix")
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
  }

  /// Starts `aflix` with `arguments`, waits until `ready` holds (checked every 20 ms, at most
  /// `timeout` seconds) or `delay` seconds pass, sends `signal`, and returns the result with
  /// the seconds from the signal to the process's exit. `environment` is added to this
  /// process's environment.
  public static func aflix(
    _ arguments: [String], interruptedBy signal: Int32, after delay: Double,
    when ready: @escaping @Sendable () -> Bool = { false }, timeout: Double = 60,
    environment: [String: String] = [:]
  ) throws -> (result: Result, secondsToExit: Double) {
    let process = Process()
    process.executableURL = productsFolder.appendingPathComponent("aflix")
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let start = Date()
    while Date().timeIntervalSince(start) < timeout {
      if ready() || Date().timeIntervalSince(start) >= delay { break }
      Thread.sleep(forTimeInterval: 0.02)
    }
    let sent = Date()
    kill(process.processIdentifier, signal)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let elapsed = Date().timeIntervalSince(sent)
    return (
      Result(
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus),
      elapsed
    )
  }

  /// A new empty temporary folder.
  public static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
