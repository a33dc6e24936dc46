import AFlixLinalg
import Testing

/// `AFLIX_NUM_THREADS` is a whole number from 1 to 1,024 or an error, never silently ignored
/// (issue #10). The environment is passed in: the process-wide setting is not touched.
@Suite("AFLIX_NUM_THREADS")
struct ParallelismEnvironmentTests {
  @Test(arguments: ["abc", "0", "-1", "1025", "99999999999999999999", "2x", "1.5"])
  func unusableValuesAreErrors(value: String) {
    #expect(throws: LinalgError.self) {
      _ = try Parallelism.environmentThreadCount(["AFLIX_NUM_THREADS": value])
    }
  }

  @Test func usableValuesAndAbsenceAreAccepted() throws {
    #expect(try Parallelism.environmentThreadCount(["AFLIX_NUM_THREADS": "3"]) == 3)
    #expect(try Parallelism.environmentThreadCount(["AFLIX_NUM_THREADS": " 1024 "]) == 1024)
    #expect(try Parallelism.environmentThreadCount(["AFLIX_NUM_THREADS": ""]) == nil)
    #expect(try Parallelism.environmentThreadCount([:]) == nil)
  }
}
