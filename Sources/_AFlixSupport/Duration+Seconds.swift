extension Duration {
  /// The duration in seconds, attoseconds included (for timings in reports).
  package var inSeconds: Double {
    Double(components.seconds) + Double(components.attoseconds) * 1e-18
  }
}
