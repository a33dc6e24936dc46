import AFlix
import ArgumentParser
import Foundation

/// `aflix split`: writes a seeded train/test split as CSV files any tool can read.
struct SplitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "split",
    abstract: "Split a dataset into train.csv / test.csv (or fold1/ … foldK/).",
    discussion: """
      Protocols: holdout:F (a share F of all ratings to test), user-holdout:F (a share F of each
      user's ratings to test, at least one kept in train), stratified:F (F = share kept in train
      per user, as Microsoft Recommenders' python_stratified_split), kfold:K, last:N (each user's
      N latest ratings by timestamp). Files: userId,movieId,rating,timestamp.

      Example: aflix split ml-100k --protocol kfold:5 --seed 1 --out folds
      """
  )

  @Argument(help: "A dataset folder or ratings file.")
  var path: String

  @OptionGroup var dataset: DatasetOptions

  @Option(
    name: .customLong("protocol"),
    help: "holdout:F, user-holdout:F, stratified:F, kfold:K or last:N.",
    transform: SplitProtocol.parse)
  var splitProtocol: SplitProtocol

  @Option(help: "Seed: the same seed gives the same split.")
  var seed: UInt64 = 0

  @Option(help: "The folder to write into (created if needed).")
  var out: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    common.applyThreads()
    let (loaded, _) = try dataset.load(path: path)
    guard let ratings = loaded.ratings else {
      throw ValidationError("\(path) holds no ratings (a catalog only): nothing to split")
    }
    let splits = try ratings.split(splitProtocol, seed: seed)
    let root = URL(fileURLWithPath: out)
    let folders = splits.map { splits.count == 1 ? root : root.appendingPathComponent($0.name) }
    // Every target is checked before anything is written, so a refused one (a symbolic link, a
    // FIFO, a folder at test.csv) cannot leave a new train.csv beside an old test.csv.
    for folder in folders {
      if let kind = try FileAccess.kind(atPath: folder.path), kind != .directory {
        throw DataError(
          .notRegularFile, file: folder.lastPathComponent,
          message: "\(folder.path) is \(kind.rawValue), not a folder to write the split into")
      }
      for name in ["train.csv", "test.csv"] {
        let file = folder.appendingPathComponent(name)
        if try FileAccess.kind(atPath: file.path, followingLinks: false) != nil {
          try FileAccess.requireWritableDestination(file)
        }
      }
    }
    var written: [[String: Any]] = []
    for (split, folder) in zip(splits, folders) {
      try FileAccess.createFolder(folder)
      try RatingsCSVWriter.write(split.train, to: folder.appendingPathComponent("train.csv"))
      try RatingsCSVWriter.write(split.test, to: folder.appendingPathComponent("test.csv"))
      written.append([
        "folder": folder.path, "train_ratings": split.train.ratingCount,
        "test_ratings": split.test.ratingCount,
      ])
      if !common.json {
        print(
          "\(folder.path): train \(split.train.ratingCount) ratings, test "
            + "\(split.test.ratingCount)")
      }
    }
    if common.json {
      try JSONOutput.print([
        "protocol": splitProtocol.description, "seed": seed, "splits": written,
        "skipped_lines": loaded.report.skippedLines,
      ])
    } else if loaded.report.skippedLines > 0 {
      print("skipped \(loaded.report.skippedLines) malformed lines")
    }
  }
}
