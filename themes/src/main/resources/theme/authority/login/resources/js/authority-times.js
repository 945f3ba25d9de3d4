// The pack's pages write times in UTC (the server does not know the browser's time zone) inside
// <time datetime="ISO-8601">; this rewrites them in the browser's own zone, in the page's language, with the same
// medium date and short time: the date and time of <time data-absolute>, the title of a relative one ("2 minutes ago").
// Without it the page still reads right: the times say "UTC".
const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" });

for (const time of document.querySelectorAll("time[datetime]")) {
    const moment = new Date(time.dateTime);
    if (Number.isNaN(moment.getTime())) {
        continue;
    }
    if (time.hasAttribute("data-absolute")) {
        time.textContent = format.format(moment);
    } else if (time.title) {
        time.title = format.format(moment);
    }
}
