package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KlaviyoPathsTest {

    @Test
    void nameFilterIsEscapedThenPercentEncoded() {
        assertEquals("equals(name,\"a \\\"b\\\" c\\\\d\")", KlaviyoPaths.nameFilter("a \"b\" c\\d"));
        assertEquals("/api/lists?filter=equals%28name%2C%22Summer%20%2B%20Fall%20%26%20more%22%29&page%5Bsize%5D=10",
                KlaviyoPaths.listsNamed("Summer + Fall & more"));
    }

    @Test
    void pathsAndQueries() {
        assertEquals("/api/lists/Y6nRLr", KlaviyoPaths.list("Y6nRLr"));
        assertEquals("/api/profile-bulk-import-jobs/01J/import-errors?page%5Bsize%5D=100",
                KlaviyoPaths.importErrors("01J", 100));
    }

    @Test
    void relativizeKeepsPathAndQueryAsEncoded() {
        assertEquals("/api/lists?page%5Bcursor%5D=bmV4dA&filter=equals%28name%2C%22a%22%29",
                KlaviyoPaths.relativize("https://a.klaviyo.com/api/lists?page%5Bcursor%5D=bmV4dA&filter=equals%28name%2C%22a%22%29"));
        assertEquals("/api/lists?page[cursor]=x", KlaviyoPaths.relativize("https://a.klaviyo.com/api/lists?page[cursor]=x#f"));
        assertEquals("/api/lists?x=1", KlaviyoPaths.relativize("/api/lists?x=1"));
        assertThrows(IllegalArgumentException.class, () -> KlaviyoPaths.relativize("https://a.klaviyo.com/other"));
        assertThrows(IllegalArgumentException.class, () -> KlaviyoPaths.relativize("nonsense"));
    }
}
