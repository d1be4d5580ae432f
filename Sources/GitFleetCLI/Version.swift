/// The version `gitfleet version` prints; bumped by hand at release time.
package let gitfleetVersion = "0.1.0"
