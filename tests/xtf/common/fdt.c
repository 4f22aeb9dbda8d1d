/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Flattened device tree reader (Devicetree Specification, chapter 5).
 */
#include <xtf.h>

#define FDT_MAGIC       0xd00dfeedU
#define FDT_BEGIN_NODE  1
#define FDT_END_NODE    2
#define FDT_PROP        3
#define FDT_NOP         4
#define FDT_END         9

/* Walks are bounded by the structure block size; this bounds the depth. */
#define FDT_MAX_DEPTH   32

uint32_t fdt32_at(const void *p)
{
    const uint8_t *b = p;

    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
           ((uint32_t)b[2] << 8) | b[3];
}

uint64_t fdt64_at(const void *p)
{
    return ((uint64_t)fdt32_at(p) << 32) | fdt32_at((const uint8_t *)p + 4);
}

static const uint8_t *hdr(const void *fdt)
{
    return fdt;
}

static uint32_t off_struct(const void *fdt)
{
    return fdt32_at(hdr(fdt) + 8);
}

static uint32_t off_strings(const void *fdt)
{
    return fdt32_at(hdr(fdt) + 12);
}

static uint32_t size_struct(const void *fdt)
{
    return fdt32_at(hdr(fdt) + 36);
}

static const uint8_t *sblock(const void *fdt)
{
    return hdr(fdt) + off_struct(fdt);
}

int fdt_check(const void *fdt)
{
    if ( !fdt || fdt32_at(fdt) != FDT_MAGIC )
        return FDT_ERR_BADTREE;
    if ( fdt32_at(hdr(fdt) + 20) < 17 )       /* version */
        return FDT_ERR_BADTREE;

    return 0;
}

static uint32_t token(const void *fdt, int off)
{
    if ( off < 0 || (uint32_t)off + 4 > size_struct(fdt) )
        return FDT_END;

    return fdt32_at(sblock(fdt) + off);
}

/* Offset just past the token at @off (which must not be FDT_END). */
static int skip_token(const void *fdt, int off)
{
    switch ( token(fdt, off) )
    {
    case FDT_BEGIN_NODE:
    {
        const char *name = (const char *)sblock(fdt) + off + 4;

        return off + 4 + ROUNDUP((int)strlen(name) + 1, 4);
    }
    case FDT_PROP:
        return off + 12 + ROUNDUP((int)fdt32_at(sblock(fdt) + off + 4), 4);
    case FDT_END_NODE:
    case FDT_NOP:
        return off + 4;
    default:
        return FDT_ERR_BADTREE;
    }
}

int fdt_root(const void *fdt)
{
    int off = 0;

    while ( token(fdt, off) == FDT_NOP )
        off += 4;

    return token(fdt, off) == FDT_BEGIN_NODE ? off : FDT_ERR_BADTREE;
}

/* Offset just past the END_NODE of the node at @node. */
static int node_end(const void *fdt, int node)
{
    int depth = 0, off = node;

    for ( ;; )
    {
        uint32_t t = token(fdt, off);

        if ( t == FDT_BEGIN_NODE )
            depth++;
        else if ( t == FDT_END_NODE && --depth == 0 )
            return off + 4;
        else if ( t == FDT_END )
            return FDT_ERR_BADTREE;
        if ( depth > FDT_MAX_DEPTH )
            return FDT_ERR_BADTREE;
        off = skip_token(fdt, off);
        if ( off < 0 )
            return off;
    }
}

const char *fdt_name(const void *fdt, int node)
{
    return (const char *)sblock(fdt) + node + 4;
}

int fdt_first_child(const void *fdt, int node)
{
    int off = skip_token(fdt, node);

    for ( ; off >= 0; off = skip_token(fdt, off) )
    {
        uint32_t t = token(fdt, off);

        if ( t == FDT_BEGIN_NODE )
            return off;
        if ( t != FDT_PROP && t != FDT_NOP )
            return FDT_ERR_NOTFOUND;
    }

    return off;
}

int fdt_next_sibling(const void *fdt, int child)
{
    int off = node_end(fdt, child);

    for ( ; off >= 0; off = skip_token(fdt, off) )
    {
        uint32_t t = token(fdt, off);

        if ( t == FDT_BEGIN_NODE )
            return off;
        if ( t != FDT_NOP )
            return FDT_ERR_NOTFOUND;
    }

    return off;
}

int fdt_child(const void *fdt, int parent, const char *name)
{
    int c;

    for ( c = fdt_first_child(fdt, parent); c >= 0;
          c = fdt_next_sibling(fdt, c) )
        if ( !strcmp(fdt_name(fdt, c), name) )
            return c;

    return FDT_ERR_NOTFOUND;
}

const void *fdt_prop(const void *fdt, int node, const char *name, int *len)
{
    int off = skip_token(fdt, node);

    for ( ; off >= 0; off = skip_token(fdt, off) )
    {
        uint32_t t = token(fdt, off);
        const uint8_t *p = sblock(fdt) + off;

        if ( t == FDT_NOP )
            continue;
        if ( t != FDT_PROP )
            break;
        if ( !strcmp((const char *)hdr(fdt) + off_strings(fdt) +
                     fdt32_at(p + 8), name) )
        {
            if ( len )
                *len = fdt32_at(p + 4);
            return p + 12;
        }
    }

    return NULL;
}

bool fdt_compatible(const void *fdt, int node, const char *compat)
{
    int len, i = 0;
    const char *c = fdt_prop(fdt, node, "compatible", &len);

    while ( c && i < len )
    {
        if ( !strcmp(c + i, compat) )
            return true;
        i += strnlen(c + i, len - i) + 1;
    }

    return false;
}

/* Depth-first walk of every node after @from (all nodes if @from < 0). */
static int next_node(const void *fdt, int from)
{
    int off = from < 0 ? fdt_root(fdt) : skip_token(fdt, from);

    if ( from < 0 )
        return off;

    for ( ; off >= 0; off = skip_token(fdt, off) )
    {
        uint32_t t = token(fdt, off);

        if ( t == FDT_BEGIN_NODE )
            return off;
        if ( t == FDT_END )
            return FDT_ERR_NOTFOUND;
    }

    return off;
}

int fdt_find_compatible(const void *fdt, int from, const char *compat)
{
    int n;

    for ( n = next_node(fdt, from); n >= 0; n = next_node(fdt, n) )
        if ( fdt_compatible(fdt, n, compat) )
            return n;

    return FDT_ERR_NOTFOUND;
}

int fdt_find_phandle(const void *fdt, uint32_t ph)
{
    int n, len;

    for ( n = next_node(fdt, -1); n >= 0; n = next_node(fdt, n) )
    {
        const void *p = fdt_prop(fdt, n, "phandle", &len);

        if ( p && len == 4 && fdt32_at(p) == ph )
            return n;
    }

    return FDT_ERR_NOTFOUND;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
