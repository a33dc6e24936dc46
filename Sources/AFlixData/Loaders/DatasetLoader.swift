import Foundation

/// Loads any supported file or folder, recognising its format.
///
/// ```swift
/// let loaded = try DatasetLoader.load(path: "data/ml-100k")           // ml100k, detected
/// let lenient = try DatasetLoader.load(
///   path: "ratings.csv", format: .movieLensCSV, options: LoadOptions(strictness: .lenient))
/// print(lenient.report.skippedLines, lenient.report.examples)
/// ```
public enum DatasetLoader {
  /// Loads `path` as `format` (detected with ``DatasetFormat/detect(path:)`` when `nil`).
  ///
  /// For a folder, every file the format defines that is present is read. For a single file:
  /// a MovieLens ratings file gives ratings; `u.item`, `movies.csv`, `movies.dat` and TMDB JSON
  /// give a catalog.
  ///
  /// - Throws: ``DataError``.
  public static func load(
    path: String, format: DatasetFormat? = nil, options: LoadOptions = LoadOptions()
  ) throws -> LoadedDataset {
    let format =
      try format
      ?? DatasetFormat.detect(path: path, maximumLineLength: options.maximumLineLength)
    let url = URL(fileURLWithPath: path)
    guard let kind = try FileAccess.kind(atPath: path) else {
      throw DataError(.fileNotFound, file: url.lastPathComponent, message: "no such file: \(path)")
    }
    let isDirectory = kind == .directory
    let name = url.lastPathComponent.lowercased()
    var report = LoadReport()
    var ratings: RatingsDataset?
    var catalog: Catalog?
    switch (format, isDirectory) {
    case (.movieLens100K, true):
      return try MovieLens100KLoader.load(folder: url, options: options)
    case (.movieLens100K, false):
      if name == "u.item" {
        catalog = try MovieLens100KLoader.loadCatalog(
          file: url, options: options, report: &report)
      } else {
        ratings = try MovieLens100KLoader.loadRatings(
          file: url, options: options, report: &report)
      }
    case (.movieLensCSV, true):
      return try MovieLensCSVLoader.load(folder: url, options: options)
    case (.movieLensCSV, false):
      if name.hasPrefix("movies") {
        catalog = try MovieLensCSVLoader.loadCatalog(
          movies: url, links: nil, options: options, report: &report)
      } else {
        ratings = try MovieLensCSVLoader.loadRatings(file: url, options: options, report: &report)
      }
    case (.movieLensDat, true):
      return try MovieLensDatLoader.load(folder: url, options: options)
    case (.movieLensDat, false):
      if name.hasPrefix("movies") {
        catalog = try MovieLensDatLoader.loadCatalog(file: url, options: options, report: &report)
      } else {
        ratings = try MovieLensDatLoader.loadRatings(file: url, options: options, report: &report)
      }
    case (.tmdbJSON, false):
      catalog = try TMDBJSONLoader.loadCatalog(file: url, options: options, report: &report)
    case (.delimited, false):
      ratings = try DelimitedRatingsLoader.loadRatings(
        file: url, options: options, report: &report)
    case (.tmdbJSON, true), (.delimited, true):
      throw DataError(
        .unknownFormat, file: url.lastPathComponent,
        message: "format '\(format.rawValue)' reads a file, not a folder")
    }
    return LoadedDataset(
      ratings: ratings, catalog: catalog, report: report, format: format, source: path)
  }
}
