import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for testing downloads without a
/// network: each path answers with a whole body, a body cut short, a stall, or 404.
final class LoopbackHTTPServer: Sendable {
  /// How a path answers.
  enum Response: Sendable {
    /// `200 OK` with the whole body.
    case body(Data)
    /// `200 OK` announcing `announced` bytes, sending only `sent` of them, then closing.
    case truncated(Data, sent: Int)
    /// `200 OK` announcing the body, sending `sent` bytes, then waiting (until ``stop()``).
    case stall(Data, sent: Int)
    /// `200 OK` without a `Content-Length`: the body, then the connection closes.
    case unannounced(Data)
  }

  /// The port the server listens on.
  let port: UInt16
  private let listener: Int32
  private let routes: [String: Response]
  private let stopped = Mutex(false)
  private let requests = Mutex<[String]>([])
  private let release = DispatchSemaphore(value: 0)

  /// Starts serving `routes` (path → response); any other path answers 404.
  init(routes: [String: Response]) throws {
    self.routes = routes
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
      let code = errno
      close(fd)
      throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    listener = fd
    port = UInt16(bigEndian: address.sin_port)
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  /// The address of `path` on this server.
  func url(_ path: String) -> URL {
    URL(string: "http://127.0.0.1:\(port)\(path)")!
  }

  /// The paths requested so far, in order.
  var requestedPaths: [String] { requests.withLock { $0 } }

  /// Stops accepting, and lets stalled answers close.
  func stop() {
    let wasStopped = stopped.withLock { value -> Bool in
      defer { value = true }
      return value
    }
    guard !wasStopped else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
    for _ in 0..<64 { release.signal() }
  }

  deinit { stop() }

  private func acceptLoop() {
    while !stopped.withLock({ $0 }) {
      let connection = accept(listener, nil, nil)
      guard connection >= 0 else {
        if errno == EINTR { continue }
        return
      }
      let thread = Thread { [self] in serve(connection) }
      thread.start()
    }
  }

  private func serve(_ connection: Int32) {
    defer { close(connection) }
    guard let path = readRequestPath(connection) else { return }
    requests.withLock { $0.append(path) }
    guard let response = routes[path] else {
      let body = Data("not found\n".utf8)
      send(connection, header(status: "404 Not Found", length: body.count) + body)
      return
    }
    switch response {
    case .body(let body):
      send(connection, header(status: "200 OK", length: body.count) + body)
    case .truncated(let body, let sent):
      send(connection, header(status: "200 OK", length: body.count) + body.prefix(sent))
    case .stall(let body, let sent):
      send(connection, header(status: "200 OK", length: body.count) + body.prefix(sent))
      _ = release.wait(timeout: .now() + 120)
    case .unannounced(let body):
      send(connection, header(status: "200 OK", length: nil) + body)
    }
  }

  private func header(status: String, length: Int?) -> Data {
    Data(
      ("HTTP/1.1 \(status)\r\nContent-Type: application/zip\r\n"
        + (length.map { "Content-Length: \($0)\r\n" } ?? "") + "Connection: close\r\n\r\n").utf8)
  }

  /// Reads the request head and returns its path (`GET /path HTTP/1.1`).
  private func readRequestPath(_ connection: Int32) -> String? {
    var head = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while head.range(of: Data("\r\n\r\n".utf8)) == nil, head.count < 65_536 {
      let count = recv(connection, &buffer, buffer.count, 0)
      guard count > 0 else { return nil }
      head.append(contentsOf: buffer[0..<count])
    }
    let firstLine = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first ?? ""
    let parts = firstLine.split(separator: " ")
    return parts.count >= 2 ? String(parts[1]) : nil
  }

  private func send(_ connection: Int32, _ data: Data) {
    data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        #if canImport(Glibc)
          let flags = Int32(MSG_NOSIGNAL)
        #else
          let flags: Int32 = 0
        #endif
        let written = Glibc.send(connection, raw.baseAddress! + offset, raw.count - offset, flags)
        guard written > 0 else { return }
        offset += written
      }
    }
  }
}
