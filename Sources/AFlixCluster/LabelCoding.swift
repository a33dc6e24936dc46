import AFlixLinalg

typealias AFlixLinalgMatrix = Matrix<Double>

/// Labels of any hashable type turned into dense codes `0..<count`, in first-seen order.
struct LabelCoding {
  /// The code of each label.
  let codes: [Int]
  /// The number of distinct labels.
  let count: Int

  init<Label: Hashable>(_ labels: [Label]) {
    var index: [Label: Int] = [:]
    var codes = [Int]()
    codes.reserveCapacity(labels.count)
    for label in labels {
      if let code = index[label] {
        codes.append(code)
      } else {
        let code = index.count
        index[label] = code
        codes.append(code)
      }
    }
    self.codes = codes
    self.count = index.count
  }

  /// Points per code.
  var sizes: [Int] {
    var sizes = [Int](repeating: 0, count: count)
    for c in codes { sizes[c] += 1 }
    return sizes
  }
}

/// Validation shared by the metrics on points and labels.
enum MetricInput {
  /// Checks shape, finiteness and label count; returns the coded labels.
  static func check(_ points: AFlixLinalgMatrix, labels: [Int]) throws -> LabelCoding {
    guard points.rows > 0, points.columns > 0 else {
      throw ClusterError(.emptyInput, "the points form a \(points.rows) × \(points.columns) matrix")
    }
    guard labels.count == points.rows else {
      throw ClusterError(.invalidArgument, "\(labels.count) labels for \(points.rows) points")
    }
    try PointSet.checkFinite(points)
    let coding = LabelCoding(labels)
    guard coding.count >= 2, coding.count <= points.rows - 1 else {
      throw ClusterError(
        .invalidLabelCount,
        "\(coding.count) distinct labels for \(points.rows) points: the metric needs 2…n − 1 "
          + "(n = \(points.rows))")
    }
    return coding
  }
}
