# ctrace timeline: per-core lanes, per-thread lanes, and parallelism and
# concurrency curves, for one recording or several stacked on one time scale.
#
# ctrace runs this with -e "dir='...'; n=N; term='png'|'svg'" after writing,
# for each recording i in 1..n, into dir:
#   i.vars     numbers (and the time unit) for the layout: written by ctrace only
#   i.title    x, y, text             (tab-separated; text from the trace)
#   i.cpu      x0 x1 y0 y1 rgb        CPU-lane rectangles
#   i.cpusep   x0 x1 y0 y1 rgb        core and package separators
#   i.cpulab   y, label               CPU lane labels
#   i.cpukey   rgb, label             legend of the CPU band (threads by colour)
#   i.thr      x0 x1 y0 y1 rgb        thread-lane rectangles, coloured by state
#   i.thrlab   y, label               thread lane labels
#   i.thrkey   rgb, label             legend of the thread band (states)
#   i.curve    x running in-progress operations   (means per pixel column)
# Every string from a trace reaches gnuplot only as data, never as a
# command, so names with quotes or backquotes cannot run anything.

load dir . "/canvas.vars"
if (term eq "svg") {
    set terminal svg size W, H font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size W, H font "DejaVu Sans,10" noenhanced background "#ffffff"
}
set output dir . "/out." . term
set datafile separator "\t"
set multiplot
set style fill solid 1.0 noborder

do for [i=1:n] {
    load sprintf("%s/%d.vars", dir, i)

    # Title: what ran, for how long, and the verdict.
    unset border; unset xtics; unset ytics; unset key; unset grid; unset xlabel; unset ylabel
    set lmargin at screen 0.0; set rmargin at screen 1.0
    set tmargin at screen title_top; set bmargin at screen title_bot
    set xrange [0:1]; set yrange [0:1]
    plot sprintf("%s/%d.title", dir, i) using 1:2:3:4 with labels left font ",11" tc rgb variable

    # Per-core lanes: which thread ran on each CPU (idle is blank).
    set border 15 lc rgb "#888888"
    set lmargin at screen lm; set rmargin at screen rm
    set tmargin at screen cpu_top; set bmargin at screen cpu_bot
    set xrange [x0:x1]; set yrange [ncpu:0]
    set xtics format "" scale 0.5; set mxtics; set grid xtics lc rgb "#eeeeee"
    set ytics scale 0 font ",9"
    set ylabel "CPUs" offset 1,0
    plot sprintf("%s/%d.cpu", dir, i) using (($1+$2)/2):(($3+$4)/2):1:2:3:4:5 with boxxyerror fc rgb variable, \
         sprintf("%s/%d.cpusep", dir, i) using (($1+$2)/2):(($3+$4)/2):1:2:3:4:5 with boxxyerror fc rgb variable, \
         sprintf("%s/%d.cpulab", dir, i) using (x0):1:ytic(2) with points ps 0

    # Legend of the CPU band, right of it.
    unset border; unset xtics; unset ytics; unset grid; unset ylabel
    set lmargin at screen rm + 0.008; set rmargin at screen 0.998
    set xrange [0:1]; set yrange [cpukeys:0]
    plot sprintf("%s/%d.cpukey", dir, i) using (0.04):($0 + 0.5):1 with points pt 5 ps 1.4 lc rgb variable, \
         '' using (0.12):($0 + 0.5):2 with labels left font ",9"

    # Per-thread lanes, coloured by state.
    set border 15 lc rgb "#888888"
    set lmargin at screen lm; set rmargin at screen rm
    set tmargin at screen thr_top; set bmargin at screen thr_bot
    set xrange [x0:x1]; set yrange [nthr:0]
    set xtics format "" scale 0.5; set mxtics; set grid xtics lc rgb "#eeeeee"
    set ytics scale 0 font ",9"
    set ylabel "threads" offset 1,0
    plot sprintf("%s/%d.thr", dir, i) using (($1+$2)/2):(($3+$4)/2):1:2:3:4:5 with boxxyerror fc rgb variable, \
         sprintf("%s/%d.thrlab", dir, i) using (x0):1:ytic(2) with points ps 0

    # State legend.
    unset border; unset xtics; unset ytics; unset grid; unset ylabel
    set lmargin at screen rm + 0.008; set rmargin at screen 0.998
    set xrange [0:1]; set yrange [thrkeys:0]
    plot sprintf("%s/%d.thrkey", dir, i) using (0.04):($0 + 0.5):1 with points pt 5 ps 1.4 lc rgb variable, \
         '' using (0.12):($0 + 0.5):2 with labels left font ",9"

    # Running (parallelism) and work in progress (concurrency: threads plus
    # event-loop operations) over time, against the CPUs; the key names
    # them by the measures the title gives.  The CPUs' line goes under the
    # curves, and parallelism under concurrency, wider, so that equal
    # curves all show.  Concurrency far
    # above the CPUs is read on the right-hand axis, in its colour.
    set border 3 lc rgb "#888888"
    set lmargin at screen lm; set rmargin at screen rm
    set tmargin at screen cur_top; set bmargin at screen cur_bot
    set xrange [x0:x1]; set yrange [0:ymax]
    set xtics format "%g" scale 0.5 nomirror; set mxtics
    set ytics nomirror font ",9"; set grid xtics ytics lc rgb "#eeeeee"
    set xlabel "time (" . unit . ")" offset 0,0.5
    # The key right of the panel, past the right-hand axis's labels when there is one.
    set key at screen rm + (twoaxes ? 44.0 / W : 0.008), screen cur_top left top vertical Left reverse samplen 1.5 font ",9"
    if (twoaxes) {
        set border 11 lc rgb "#888888"
        set y2range [0:y2max]; set y2tics nomirror font ",9" tc rgb "#1f77b4"
        set ylabel "running" offset 1,0 tc rgb "#2ca02c"
        set y2label "in progress" offset -1.5,0 tc rgb "#1f77b4"
        plot ncpus with lines lw 1 dt 3 lc rgb "#000000" title sprintf("%d CPUs", ncpus), \
             sprintf("%s/%d.curve", dir, i) using 1:2 with steps lw 3 lc rgb "#2ca02c" title "parallelism", \
             '' using 1:3 axes x1y2 with steps lw 1.5 lc rgb "#1f77b4" title "concurrency", \
             '' using 1:4 axes x1y2 with steps lw 1 lc rgb "#9467bd" title "event-loop ops"
        unset y2tics; unset y2label; set ylabel tc rgb "#000000"; set border 3
    } else {
        set ylabel "threads" offset 1,0
        plot ncpus with lines lw 1 dt 3 lc rgb "#000000" title sprintf("%d CPUs", ncpus), \
             sprintf("%s/%d.curve", dir, i) using 1:2 with steps lw 3 lc rgb "#2ca02c" title "parallelism", \
             '' using 1:3 with steps lw 1.5 lc rgb "#1f77b4" title "concurrency", \
             '' using 1:4 with steps lw 1 lc rgb "#9467bd" title "event-loop ops"
    }
    unset key; unset xlabel
}
unset multiplot
