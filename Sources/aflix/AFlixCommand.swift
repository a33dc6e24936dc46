import AFlix
import ArgumentParser
import Foundation

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
      Threads: OPENBLAS_NUM_THREADS sets BLAS's threads, AFLIX_NUM_THREADS AFlix's own (a whole
      number from 1 to 1024; anything else is an error); --threads sets both.
      SIGINT (Ctrl-C) and SIGTERM stop any command at once, removing its unfinished files.
      """,
    subcommands: [
      InfoCommand.self, SplitCommand.self, SynthCommand.self, ClusterCommand.self,
      EvaluateCommand.self, TrainCommand.self,
    ],
    defaultSubcommand: InfoCommand.self
  )

  /// Installs the signal handlers, checks the environment, runs the command, and reports every
  /// error as a sentence (file-system errors as typed ``DataError`` text, never an `NSError`
  /// dump).
  static func main() async {
    Interruption.install()
    do {
      _ = try Parallelism.environmentThreadCount()
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: CommandFailure.presentable(error))
    }
  }
}

/// Turns errors into what the command line prints.
enum CommandFailure {
  /// `error` itself when it already reads well (argument errors, AFlix's typed errors); a
  /// Foundation or POSIX error becomes the ``DataError`` of ``FileAccess``.
  static func presentable(_ error: any Error) -> any Error {
    switch error {
    case is DataError, is RecommendError, is ClusterError, is LinalgError, is SynthError,
      is ModelFileError, is CommandError, is ValidationError, is CleanExit, is ExitCode:
      return error
    default:
      let ns = error as NSError
      guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else {
        return error
      }
      let path =
        ns.userInfo[NSFilePathErrorKey] as? String
        ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path ?? "a file"
      return CommandError(FileAccess.error(error, path: path, action: "access").description)
    }
  }
}
