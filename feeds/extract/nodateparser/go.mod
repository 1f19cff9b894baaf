// This module stands in for github.com/markusmobius/go-dateparser (see
// doc.go): go.mod replaces that module with this directory.
module github.com/markusmobius/go-dateparser

go 1.21
