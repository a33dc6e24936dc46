/// What a load produced: ratings, a catalog or both, with the load's report.
public struct LoadedDataset: Sendable {
  /// The ratings, when the source has any.
  public var ratings: RatingsDataset?
  /// The films, when the source describes any.
  public var catalog: Catalog?
  /// Lines read and skipped.
  public var report: LoadReport
  /// The format read.
  public var format: DatasetFormat
  /// The path read.
  public var source: String

  /// Creates a result.
  public init(
    ratings: RatingsDataset?, catalog: Catalog?, report: LoadReport, format: DatasetFormat,
    source: String
  ) {
    self.ratings = ratings
    self.catalog = catalog
    self.report = report
    self.format = format
    self.source = source
  }
}
