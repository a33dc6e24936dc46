import AFlix
import ArgumentParser
import Foundation

/// `aflix`: the command-line face of the AFlix recommender engine.
@main
struct AFlixCommand: AsyncParsableCommand {
  /// The version `aflix --version` prints (the CHANGELOG's unreleased line of work).
  static let version = "0.14.0-dev"

  static let configuration = CommandConfiguration(
    commandName: "aflix",
    abstract: "AFlix recommender engine: inspect, model, tune and serve rating datasets.",
    discussion: """
      Datasets: a MovieLens 100k folder (u.data), a MovieLens latest/20M/25M folder (ratings.csv),
      a MovieLens 1M/10M folder (ratings.dat), a TMDB-style movie JSON file, or a delimited
      ratings file with a header naming its columns (userId,movieId,rating[,timestamp]).
      Threads: OPENBLAS_NUM_THREADS sets BLAS's threads, AFLIX_NUM_THREADS AFlix's own (a whole
      number from 1 to 1024; anything else is an error); --threads sets both.
      SIGINT (Ctrl-C) and SIGTERM stop any command at once, removing its unfinished files.
      Shell completion: `aflix --generate-completion-script bash|zsh|fish`.

      Example: aflix demo
      """,
    version: AFlixCommand.version,
    subcommands: [
      InfoCommand.self, SplitCommand.self, SynthCommand.self, ClusterCommand.self,
      EvaluateCommand.self, TrainCommand.self, RecommendCommand.self, SimilarCommand.self,
      ColdStartCommand.self, OptimizeCommand.self, DemoCommand.self, ReportCommand.self,
      BenchCommand.self, DatasetsCommand.self,
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
      // A progress bar may still be on standard error's line (work that threw): erase it.
      if ProgressBar.standardErrorIsTerminal {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
      }
      exit(withError: CommandFailure.presentable(error))
    }
  }
}

/// Turns errors into what the command line prints.
enum CommandFailure {
  /// Argument-parser errors as they are (they carry usage text; a validation message escaped);
  /// every other error as its
  /// description with control characters escaped (input such as file names or decoded text
  /// cannot drive the terminal); a Foundation or POSIX error first becomes the ``DataError`` of
  /// ``FileAccess`` (never an `NSError` dump).
  static func presentable(_ error: any Error) -> any Error {
    switch error {
    case let validation as ValidationError:
      return ValidationError(escaped(validation.message))
    case is CleanExit, is ExitCode:
      return error
    case is DataError, is RecommendError, is ClusterError, is LinalgError, is SynthError,
      is ModelFileError, is CommandError, is OptimizeError, is DatasetError:
      return CommandError(escaped("\(error)"))
    default:
      let ns = error as NSError
      guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else {
        return error
      }
      let path =
        ns.userInfo[NSFilePathErrorKey] as? String
        ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path ?? "a file"
      let described = FileAccess.error(error, path: path, action: "access").description
      return CommandError(escaped(described))
    }
  }

  /// `text` with control characters escaped, line breaks kept (hints span lines).
  static func escaped(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { DataError.escapingControlCharacters(String($0)) }
      .joined(separator: "\n")
  }
}
