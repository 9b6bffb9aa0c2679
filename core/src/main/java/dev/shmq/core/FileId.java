package dev.shmq.core;

/**
 * A file as {@code /proc/<pid>/maps} names it: the device's major and minor numbers, and the inode. Liveness goes by
 * this, never by name: {@link ShmDirectoryEntry} makes one from {@code stat}, {@link ShmMappings} from each line of
 * every process's maps.
 */
record FileId(long major, long minor, long inode)
{
    private static final int DEVICE_FIELD = 3;

    /**
     * @param dev   {@code st_dev} as Linux (glibc) encodes it: bits 8-19 and 44-63 hold the major number, bits 0-7
     *              and 20-43 the minor number ({@code gnu_dev_major}, {@code gnu_dev_minor}).
     * @param inode {@code st_ino}.
     */
    static FileId ofStat(final long dev, final long inode)
    {
        final long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xffff_f000L);
        final long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffff_ff00L);
        return new FileId(major, minor, inode);
    }

    /**
     * @param line {@code address perms offset major:minor inode [pathname]}, numbers of the device in hex.
     * @return the file it maps, or null for an anonymous mapping (inode 0) or a line that does not parse.
     */
    static FileId parseMapsLine(final String line)
    {
        int start = 0;
        for (int field = 0; field < DEVICE_FIELD; field++)
        {
            start = skipSpaces(line, skipField(line, start));
        }
        final int deviceEnd = skipField(line, start);
        final int colon = line.indexOf(':', start);
        if (colon < 0 || colon >= deviceEnd)
        {
            return null;
        }
        final int inodeStart = skipSpaces(line, deviceEnd);
        try
        {
            final long inode = Long.parseUnsignedLong(line, inodeStart, skipField(line, inodeStart), 10);
            return 0 == inode ? null : new FileId(
                Long.parseLong(line, start, colon, 16), Long.parseLong(line, colon + 1, deviceEnd, 16), inode);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    private static int skipField(final String line, final int from)
    {
        int i = from;
        while (i < line.length() && line.charAt(i) != ' ')
        {
            i++;
        }
        return i;
    }

    private static int skipSpaces(final String line, final int from)
    {
        int i = from;
        while (i < line.length() && line.charAt(i) == ' ')
        {
            i++;
        }
        return i;
    }
}
