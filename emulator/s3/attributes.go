package s3

import (
	"encoding/xml"
	"net/http"
	"strings"
)

// getObjectAttributesResult answers GetObjectAttributes; only the
// attributes asked for in x-amz-object-attributes are present.
type getObjectAttributesResult struct {
	XMLName      xml.Name            `xml:"http://s3.amazonaws.com/doc/2006-03-01/ GetObjectAttributesResponse"`
	ETag         string              `xml:"ETag,omitempty"`
	Checksum     *attributesChecksum `xml:"Checksum,omitempty"`
	ObjectParts  *attributesParts    `xml:"ObjectParts,omitempty"`
	StorageClass string              `xml:"StorageClass,omitempty"`
	ObjectSize   *int64              `xml:"ObjectSize,omitempty"`
}

type attributesChecksum struct {
	checksumFields
	ChecksumType string `xml:"ChecksumType,omitempty"`
}

type attributesParts struct {
	PartsCount           int              `xml:"PartsCount"`
	PartNumberMarker     int              `xml:"PartNumberMarker"`
	NextPartNumberMarker int              `xml:"NextPartNumberMarker"`
	MaxParts             int              `xml:"MaxParts"`
	IsTruncated          bool             `xml:"IsTruncated"`
	Parts                []attributesPart `xml:"Part"`
}

type attributesPart struct {
	PartNumber int   `xml:"PartNumber"`
	Size       int64 `xml:"Size"`
	checksumFields
}

// objectAttributeNames are the values x-amz-object-attributes may list.
var objectAttributeNames = map[string]bool{"ETag": true, "Checksum": true, "ObjectParts": true, "StorageClass": true, "ObjectSize": true}

// getObjectAttributes implements GetObjectAttributes: ETag (unquoted, as
// S3 sends it here), Checksum, ObjectParts (multipart objects, paged by
// x-amz-max-parts / x-amz-part-number-marker), StorageClass, ObjectSize.
func (s *Service) getObjectAttributes(rq *request) *apiError {
	h := rq.r.Header
	want := map[string]bool{}
	for _, v := range h.Values("X-Amz-Object-Attributes") {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			if !objectAttributeNames[name] {
				return errorf(ErrInvalidArgument, "Invalid attribute name specified.").
					with("ArgumentName", "x-amz-object-attributes").with("ArgumentValue", name)
			}
			want[name] = true
		}
	}
	if len(want) == 0 {
		return errorf(ErrInvalidArgument, "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty").
			with("ArgumentName", "x-amz-object-attributes")
	}
	headerInts := map[string][]string{}
	for param, header := range map[string]string{"max-parts": "X-Amz-Max-Parts", "part-number-marker": "X-Amz-Part-Number-Marker"} {
		if v := h.Get(header); v != "" {
			headerInts[param] = []string{v}
		}
	}
	maxParts, aerr := intParam(headerInts, "max-parts", 1000, 0, 1000)
	if aerr != nil {
		return aerr
	}
	marker, aerr := intParam(headerInts, "part-number-marker", 0, 0, maxPartNumber)
	if aerr != nil {
		return aerr
	}
	obj, version, aerr := s.lookupObjectVersion(rq.bucket, rq.key, rq.query)
	if aerr != nil {
		return aerr
	}

	var res getObjectAttributesResult
	if want["ETag"] {
		res.ETag = strings.Trim(obj.etag, `"`)
	}
	if want["Checksum"] && obj.checksum.algorithm != "" {
		res.Checksum = &attributesChecksum{checksumFields: newChecksumFields(obj.checksum), ChecksumType: obj.checksum.typ}
	}
	if want["ObjectParts"] && obj.parts != nil {
		p := &attributesParts{PartsCount: len(obj.parts), PartNumberMarker: marker, MaxParts: maxParts}
		for i, part := range obj.parts {
			n := i + 1
			if n <= marker {
				continue
			}
			if len(p.Parts) == maxParts {
				p.IsTruncated = true
				break
			}
			p.Parts = append(p.Parts, attributesPart{PartNumber: n, Size: part.size, checksumFields: newChecksumFields(part.checksum)})
			p.NextPartNumberMarker = n
		}
		res.ObjectParts = p
	}
	if want["StorageClass"] {
		res.StorageClass = "STANDARD"
	}
	if want["ObjectSize"] {
		size := obj.size
		res.ObjectSize = &size
	}
	setVersionHeader(rq.w.Header(), version)
	rq.w.Header().Set("Last-Modified", obj.lastModifiedHTTP)
	writeXML(rq.w, http.StatusOK, res)
	return nil
}
