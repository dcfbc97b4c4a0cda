package staff

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var openAPI []byte

// apiOpenAPI serves the API's OpenAPI description.
func (db *Dashboard) apiOpenAPI(c *reqCtx) error {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(http.StatusOK)
	_, err := c.w.Write(openAPI)
	return err
}
