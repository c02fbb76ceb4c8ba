#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let status = await LexiconCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
fflush(nil)
exit(status)
