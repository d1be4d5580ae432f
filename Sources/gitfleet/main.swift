import GitFleetCLI

CommandLine_main()
