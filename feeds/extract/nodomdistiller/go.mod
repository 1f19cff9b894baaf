// This module stands in for github.com/markusmobius/go-domdistiller (see
// doc.go): go.mod replaces that module with this directory.
module github.com/markusmobius/go-domdistiller

go 1.21

require golang.org/x/net v0.62.0
