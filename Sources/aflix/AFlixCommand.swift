import AFlix
import ArgumentParser

/// `aflix`: the command-line face of the AFlix recommender engine.
@main
struct AFlixCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "aflix",
    abstract: "AFlix recommender engine: inspect, split and (later) model rating datasets.",
    discussion: """
      Datasets: a MovieLens 100k folder (u.data), a MovieLens latest/20M/25M folder (ratings.csv),
      a MovieLens 1M/10M folder (ratings.dat), a TMDB-style movie JSON file, or a delimited
      ratings file with a header naming its columns (userId,movieId,rating[,timestamp]).
      Threads: OPENBLAS_NUM_THREADS sets BLAS's threads, AFLIX_NUM_THREADS AFlix's own; --threads
      sets both.
      """,
    subcommands: [
      InfoCommand.self, SplitCommand.self, SynthCommand.self, ClusterCommand.self,
      EvaluateCommand.self, TrainCommand.self,
    ],
    defaultSubcommand: InfoCommand.self
  )
}
