#include "content/folder_tree.h"

const struct folder_spec folder_tree[] = {
    {FOLDER_ID_ROOT, 0, FOLDER_ROOT, L"", L""},
};

const ULONG folder_tree_count = sizeof(folder_tree) / sizeof(folder_tree[0]);
