import Testing
import FleetGit

@Suite struct GitLibraryTests {
    @Test func certificatesLoadOnDemand() throws {
        // Initialisation left the CA bundle unparsed; loading it works (or has nothing to do
        // on a machine without one), and a second call reports the first result.
        try GitLibrary.loadCertificates()
        try GitLibrary.loadCertificates()
    }
}
