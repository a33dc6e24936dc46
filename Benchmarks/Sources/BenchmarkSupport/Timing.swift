// Wall-clock timing helpers.
import Foundation

/// `d` in seconds, attoseconds included.
public func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Runs `body` once and returns its value with the seconds it took, measured with
/// `DispatchTime` uptime nanoseconds.
public func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
  let start = DispatchTime.now().uptimeNanoseconds
  let value = try body()
  return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// Runs `body` once and returns its value with the seconds it took, measured with
/// `ContinuousClock`.
public func clockTime<T>(_ body: () throws -> T) rethrows -> (T, Double) {
  let clock = ContinuousClock()
  let start = clock.now
  let value = try body()
  return (value, seconds(clock.now - start))
}
