import Testing
import FleetGit

@Suite struct GitLibraryTests {
    @Test func certificatesLoadOnDemand() throws {
        // Initialisation left the CA bundle unparsed; loading it works (or has nothing to do
        // on a machine without one), and a second call does nothing.
        try GitLibrary.loadCertificates()
        try GitLibrary.loadCertificates()
    }

    @Test(arguments: [
        ("https://git.example.com/fleet.git", true),
        ("HTTP://git.example.com/fleet.git", true),
        ("ssh://git@git.example.com/fleet.git", false),
        ("git@git.example.com:fleet.git", false),
        ("file:///srv/fleet.git", false),
        ("/srv/fleet.git", false),
    ])
    func onlyHTTPRemotesNeedTheCertificates(url: String, needs: Bool) {
        #expect(GitLibrary.usesCertificates(url) == needs)
    }
}
