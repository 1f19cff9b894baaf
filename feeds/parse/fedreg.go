package parse

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/aiwatch/aiwatch/store"
)

// FormatFederalRegister is a page of results of the Federal Register's
// document search API (https://www.federalregister.gov/api/v1/documents.json
// with conditions), a JSON object with "count" and "results".
const FormatFederalRegister = "federalregister"

// frPage is one page of a Federal Register API search. The API documents
// more fields; these are the ones aiwatch reads.
type frPage struct {
	Count       *int            `json:"count"`
	Description string          `json:"description"`
	NextPageURL string          `json:"next_page_url"`
	Results     json.RawMessage `json:"results"`
}

type frDocument struct {
	Title           string     `json:"title"`
	Type            string     `json:"type"` // "Rule", "Proposed Rule", "Notice", "Presidential Document"
	Abstract        string     `json:"abstract"`
	DocumentNumber  string     `json:"document_number"`
	HTMLURL         string     `json:"html_url"`
	PDFURL          string     `json:"pdf_url"`
	PublicationDate string     `json:"publication_date"` // YYYY-MM-DD
	Agencies        []frAgency `json:"agencies"`
}

type frAgency struct {
	Name    string `json:"name"`
	RawName string `json:"raw_name"`
	Slug    string `json:"slug"`
}

// frEastern is the zone of Federal Register publication dates: a date is
// the day's edition in Washington. Midnight at UTC-5 falls on that day in
// Eastern time all year, without a tz database.
const frEastern = "T00:00:00-05:00"

// federalRegisterPage reads doc as a Federal Register search page. ok is
// false when doc is not one: not a JSON object with "count" and an array
// of "results" (a count of zero may come without results).
func federalRegisterPage(doc []byte, feedURL string) (f *Feed, drafts []draft, ok bool) {
	if len(doc) == 0 || doc[0] != '{' {
		return nil, nil, false
	}
	var page frPage
	if err := json.Unmarshal(doc, &page); err != nil || page.Count == nil {
		return nil, nil, false
	}
	var docs []frDocument
	switch results := bytes.TrimSpace(page.Results); {
	case len(results) == 0 || bytes.Equal(results, []byte("null")):
		if *page.Count != 0 {
			return nil, nil, false
		}
	case results[0] != '[':
		return nil, nil, false
	default:
		if err := json.Unmarshal(results, &docs); err != nil {
			// An array whose documents have the wrong types is still
			// this format, and broken: read none of it.
			return nil, nil, false
		}
	}

	f = &Feed{Format: FormatFederalRegister, Lang: "en"}
	f.Title = store.CleanLine(page.Description, MaxTitle)
	if f.Title == "" {
		f.Title = "Federal Register documents"
	}
	f.NextPage, _ = cleanURL(page.NextPageURL, absURL(feedURL))
	drafts = make([]draft, 0, len(docs))
	for _, d := range docs {
		drafts = append(drafts, frDraft(d))
	}
	return f, drafts, true
}

// frDraft makes a document an item: its title, its abstract as the
// summary, and a content that says what the document is (its type, the
// agencies, its number and its PDF), which the reader shows below the
// abstract. The link is html_url; the key is the same URL, as in the
// Federal Register's RSS feeds of the same searches, so that an item read
// there stays read here. The date is publication_date.
func frDraft(d frDocument) draft {
	var agencies []string
	for _, a := range d.Agencies {
		name := strings.TrimSpace(a.Name)
		if name == "" {
			name = strings.TrimSpace(a.RawName)
		}
		if name == "" {
			name = strings.TrimSpace(a.Slug)
		}
		if name != "" {
			agencies = append(agencies, name)
		}
	}
	var content []string
	line := func(label, value string) {
		if value = strings.TrimSpace(value); value != "" {
			content = append(content, escapeText(label+": "+value))
		}
	}
	line("Type", d.Type)
	line("Agencies", strings.Join(agencies, "; "))
	line("Document number", d.DocumentNumber)
	line("PDF", d.PDFURL)

	it := store.Item{
		URL:     d.HTMLURL,
		Title:   escapeText(d.Title),
		Summary: escapeText(d.Abstract),
		Content: strings.Join(content, "<br>"),
		Author:  escapeText(strings.Join(agencies, ", ")),
		Lang:    "en",
	}
	if strings.TrimSpace(d.HTMLURL) == "" && strings.TrimSpace(d.DocumentNumber) != "" {
		// No page to key by: the document number is the document's
		// identity in the Register.
		it.Key = "federalregister:" + strings.TrimSpace(d.DocumentNumber)
	}
	var published string
	if date := strings.TrimSpace(d.PublicationDate); len(date) == len("2006-01-02") {
		published = date + frEastern
	}
	return draft{item: it, published: published}
}
