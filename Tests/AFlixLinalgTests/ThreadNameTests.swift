import Foundation
import Testing

@testable import _AFlixSupport

/// Long computations run on threads the system shows by name (`top -H`, `perf`, a debugger).
@Suite struct ThreadNameTests {
  /// The calling thread's name as Linux shows it.
  static func currentName() -> String? {
    (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
      .trimmingCharacters(in: .newlines)
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/thread-self/comm")))
  func aDedicatedThreadCarriesItsNameCutToFifteenBytes() async throws {
    let name = try await DedicatedThread.run(name: "AFlix fit (a long name)") {
      Self.currentName()
    }
    #expect(name == "AFlix fit (a lo")
    // A cut inside a multi-byte character keeps the whole characters before it.
    let accented = try await DedicatedThread.run(name: "AFlix fit ééééé") { Self.currentName() }
    #expect(accented == "AFlix fit éé")
  }
}

/// A background fit's thread yields to the process's other threads.
@Suite struct ThreadPriorityTests {
  /// The calling thread's nice value as Linux shows it (`/proc/thread-self/stat`, field 19).
  static func currentNice() -> Int? {
    guard let stat = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    // Fields after the command name, which may hold spaces: state is field 3, nice field 19.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 16 ? Int(fields[16]) : nil
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/thread-self/stat")))
  func aLowPriorityThreadRunsTenNiceLevelsBelowItsCreator() async throws {
    let normal = try #require(try await DedicatedThread.run(name: "normal") { Self.currentNice() })
    let low = try #require(
      try await DedicatedThread.run(name: "low", lowPriority: true) { Self.currentNice() })
    #expect(low == min(19, normal + Int(DedicatedThread.backgroundNiceIncrement)))
  }
}
