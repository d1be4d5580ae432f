package func CommandLine_main() {}
