import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let status: Int32
do {
    // Called as lexicon-hook-CLIENT (a link made by `lexicon hook install`), it runs `lexicon hook CLIENT`.
    status = await LexiconCommand.main(
        arguments: HookCommand.arguments(programPath: CommandLine.arguments.first ?? "", try StrictArguments.decode()))
} catch {
    LexiconLogger.standardError("lexicon: \(error)")
    status = (error as? LexiconError)?.code.exitStatus ?? 2
}
// An early error can come while libcurl is still loading on another thread; exiting then would crash.
CurlTransport.waitForPreload()
fflush(nil)
exit(status)
