import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let status = await LexiconCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
// An early error can come while libcurl is still loading on another thread; exiting then would crash.
CurlTransport.waitForPreload()
fflush(nil)
exit(status)
