package memory_test

import (
	"testing"

	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/memory"
	"github.com/docketkit/docket/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(*testing.T) storage.Store { return memory.New() })
}
